// High availability (#/ha, admins): every host's health as the failure detector sees it, the protected VMs (and why
// one is unprotected), admission control, and the timeline of recent host failures (GET /api/v1/ha/status).
import { h, parts } from './dom.js';
import { get } from './api.js';

export function mount(root) {
  const admission = h('p', { id: 'ha-admission' });
  const hosts = h('tbody', { id: 'ha-hosts' });
  const vms = h('tbody', { id: 'ha-vms' });
  const failovers = h('ol', { class: 'timeline', id: 'ha-failovers' });
  const error = h('p', { class: 'error', role: 'alert' });
  root.append(h('h1', {}, 'High availability'), error, h('h2', {}, 'Admission control'), admission,
    h('h2', {}, 'Hosts'), table(['Host', 'Health', 'Phi', 'State', 'Fencing', 'Detail'], hosts),
    h('h2', {}, 'Protected VMs'), table(['VM', 'Protection', 'Priority', 'Host', 'State', 'Standby', 'Unprotected because'], vms),
    h('h2', {}, 'Failover timeline (most recent first)'), failovers);
  let read = 0;
  async function load() {
    try {
      const s = await get('/api/v1/ha/status');
      error.textContent = '';
      admission.textContent = s.admission.ok ? `ok: tolerating ${s.settings.tolerate_host_failures ?? 0} host failures`
        : `not ok: ${s.admission.reason}`;
      hosts.replaceChildren(...s.hosts.map((x) => h('tr', { 'data-host': x.name }, h('td', {}, x.name),
        h('td', { class: `health-${x.health}` }, x.health), h('td', { class: 'num' }, x.phi.toFixed(1)), h('td', {}, x.state),
        h('td', {}, x.fence_methods.join(', ')), h('td', { class: 'muted' }, x.detail || ''))));
      vms.replaceChildren(...(s.protected_vms.length ? s.protected_vms.map((v) => h('tr', { 'data-vm': v.name }, h('td', {}, v.name),
        h('td', {}, v.protection), h('td', { class: 'num' }, v.priority), h('td', {}, v.host || ''), h('td', {}, v.state),
        h('td', {}, v.standby ? `${v.standby.name} on ${v.standby.host || '-'}` : ''), h('td', {}, v.unprotected || '')))
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'no protected VM'))]));
      failovers.replaceChildren(...(s.recent_failovers.length ? s.recent_failovers.map((f) => h('li', {},
        h('span', { class: 'type' }, f.host), h('span', {}, f.outcome),
        h('span', {}, parts(`declared after ${f.declared_after_ms} ms`, f.fenced_after_ms >= 0 && `, fenced after ${f.fenced_after_ms} ms`).join('')),
        h('span', {}, parts(f.promoted.length && `promoted ${f.promoted.join(', ')}`, f.restarted.length && `restarted ${f.restarted.join(', ')}`).join('; '))))
        : [h('li', { class: 'muted' }, 'no host failure yet')]));
    } catch (e) {
      error.textContent = e.message;
    }
  }
  return {
    update() { if (Date.now() - read > 2000) { read = Date.now(); load(); } },
  };
}

function table(columns, body) {
  return h('table', {}, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c)))), body);
}
