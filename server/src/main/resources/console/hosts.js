// Hosts: every host with its state, driver, capacity and measured use.
import { h, percent, size } from './dom.js';

export function mount(root) {
  const body = h('tbody', { id: 'host-rows' });
  root.append(h('h1', {}, 'Hosts'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['Name', 'State', 'Driver', 'CPUs', 'Memory', 'VMs', 'CPU use', 'Memory use', 'URI']
      .map((c) => h('th', {}, c)))), body));
  return {
    update(state) {
      body.replaceChildren(...state.hosts.map((x) => h('tr', { 'data-host': x.name },
        h('td', {}, h('a', { href: `#/hosts/${encodeURIComponent(x.name)}` }, x.name)), h('td', { class: `state-${x.state}` }, x.state), h('td', {}, x.driver || ''),
        h('td', { class: 'num' }, x.cpus), h('td', { class: 'num' }, size(x.memory_bytes)), h('td', { class: 'num' }, x.vm_count),
        h('td', { class: 'num' }, x.usage ? percent(x.usage.cpu_cores / x.cpus) : ''),
        h('td', { class: 'num' }, x.usage ? percent(x.usage.memory_bytes / x.memory_bytes) : ''),
        h('td', { class: 'muted' }, x.uri))));
    },
  };
}
