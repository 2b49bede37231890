// Dashboard: every host with its measured CPU and memory use, the hosts that failed or do not answer, and the
// tasks queued or running. Hosts are for admins; other roles see their tasks.
import { h, parts, percent, size } from './dom.js';
import { can } from './roles.js';

export function mount(root, { me }) {
  const admin = can(me, 'admin');
  const cards = h('div', { class: 'cards', id: 'host-cards' });
  const failed = h('ul', { id: 'failed-hosts' });
  const tasks = h('tbody', { id: 'running-tasks' });
  root.append(...parts(
    h('h1', {}, 'Dashboard'),
    admin && [h('h2', {}, 'Hosts'), cards, h('h2', {}, 'Failed hosts'), failed],
    h('h2', {}, 'Running tasks'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'VM'), h('th', {}, 'Status'), h('th', {}, 'Since'))), tasks)));
  return {
    update(state) {
      cards.replaceChildren(...state.hosts.map(card));
      const down = state.hosts.filter((x) => x.state === 'failed' || x.state === 'disconnected');
      failed.replaceChildren(...(down.length ? down.map((x) => h('li', { class: `state-${x.state}` }, `${x.name}: ${x.state}`))
        : [h('li', { class: 'muted' }, 'none')]));
      const busy = state.tasks.filter((t) => t.status === 'running' || t.status === 'queued');
      tasks.replaceChildren(...(busy.length ? busy.map((t) => h('tr', {},
        h('td', {}, t.kind), h('td', {}, t.vm_name || ''), h('td', {}, t.status), h('td', {}, new Date(t.updated).toLocaleTimeString())))
        : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'none'))]));
    },
  };
}

function card(host) {
  const cpu = host.usage ? host.usage.cpu_cores / host.cpus : null;
  const mem = host.usage ? host.usage.memory_bytes / host.memory_bytes : null;
  return h('article', { class: 'card', 'data-host': host.name },
    h('h3', {}, host.name, ' ', h('small', { class: `state-${host.state}` }, host.state)),
    h('div', { 'data-field': 'cpu' }, `CPU ${use(cpu)} of ${host.cpus} cores`),
    h('meter', { min: 0, max: 1, value: cpu ?? 0, 'aria-label': `${host.name} CPU use` }),
    h('div', { 'data-field': 'memory' }, `Memory ${use(mem)} of ${size(host.memory_bytes)}`),
    h('meter', { min: 0, max: 1, value: mem ?? 0, 'aria-label': `${host.name} memory use` }),
    h('div', { class: 'muted' }, `${host.vm_count} VMs`));
}

/** A measured share as a percentage; hosts report usage only after their first stats round. */
function use(share) {
  return share === null ? 'not measured yet' : percent(share);
}
