// Events: the timeline, newest first, as the live stream delivers it (the last 200 events).
import { h } from './dom.js';

export function mount(root) {
  const list = h('ol', { class: 'timeline', id: 'event-list' });
  root.append(h('h1', {}, 'Events'), list);
  return {
    update(state) {
      list.replaceChildren(...state.events.slice().reverse().map((e) => h('li', { 'data-seq': e.seq },
        h('span', { class: 'muted' }, `#${e.seq}`), h('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()),
        h('span', { class: 'type' }, e.type), h('span', {}, e.message || e.subject || ''))));
    },
  };
}
