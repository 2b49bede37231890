// Resources (#/resources, admins): projects, networks, volumes and elastic groups, read from the same REST API as
// `polyvisor project|network|volume|group list`. Read-only here: each row is the item's name and its plain fields.
import { h } from './dom.js';
import { get } from './api.js';

const KINDS = [
  { id: 'projects', title: 'Projects', path: '/api/v1/projects' },
  { id: 'networks', title: 'Networks', path: '/api/v1/networks' },
  { id: 'volumes', title: 'Volumes', path: '/api/v1/volumes' },
  { id: 'groups', title: 'Elastic groups', path: '/api/v1/groups' },
];

export function mount(root) {
  root.append(h('h1', {}, 'Resources'));
  const bodies = {};
  for (const k of KINDS) {
    bodies[k.id] = { body: h('tbody', { id: `${k.id}-rows` }), error: h('p', { class: 'error', role: 'alert' }) };
    root.append(h('h2', {}, k.title), bodies[k.id].error,
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Details'))), bodies[k.id].body));
  }
  let read = 0;
  async function load() {
    await Promise.all(KINDS.map(async (k) => {
      const { body, error } = bodies[k.id];
      try {
        const items = await get(k.path);
        error.textContent = '';
        body.replaceChildren(...(items.length ? items.map((x) => h('tr', { 'data-name': x.name }, h('td', {}, x.name),
          h('td', { class: 'muted' }, details(x))))
          : [h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'none'))]));
      } catch (e) {
        error.textContent = e.message;
      }
    }));
  }
  return { update() { if (Date.now() - read > 3000) { read = Date.now(); load(); } } };
}

/** "key value" for every plain field, nested objects as key.sub; lists by their length. */
function details(item, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(item)) {
    if (key === 'name' && !prefix) continue;
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out.push(`${prefix}${key} ${value.length}`);
    else if (typeof value === 'object') out.push(details(value, `${prefix}${key}.`));
    else out.push(`${prefix}${key} ${value}`);
  }
  return out.filter(Boolean).join(', ');
}
