// Hosts (admins): every host with its state, driver, capacity and measured use; add a host by URI; put a host in
// maintenance (the balancer then evacuates it by live migration: the row shows how many VMs are left) or take it out.
import { h, percent, size } from './dom.js';
import { post } from './api.js';

/** The VM count of each host when it entered maintenance from this page: the evacuation's starting point. */
const evacuating = new Map();

export function mount(root, { act }) {
  const body = h('tbody', { id: 'host-rows' });
  const error = h('p', { class: 'error', role: 'alert', id: 'host-error' });
  const uri = h('input', { id: 'add-host-uri', name: 'uri', required: true, autocomplete: 'off', placeholder: 'qemu+ssh://root@h1/system' });
  const name = h('input', { id: 'add-host-name', name: 'name', autocomplete: 'off' });
  const addError = h('p', { class: 'error', role: 'alert', id: 'add-host-error' });
  const form = h('form', { id: 'add-host-form', class: 'inline', novalidate: true, onsubmit: add },
    h('label', {}, 'URI', uri), h('label', {}, 'Name (optional)', name), h('button', { type: 'submit' }, 'Add host'));

  async function add(event) {
    event.preventDefault();
    addError.textContent = '';
    const body = { uri: uri.value.trim() };
    if (name.value.trim()) body.name = name.value.trim();
    try {
      await act(() => post('/api/v1/hosts', body));
      uri.value = '';
      name.value = '';
    } catch (e) {
      addError.textContent = e.message;
    }
  }

  async function maintenance(host, enabled) {
    error.textContent = '';
    try {
      if (enabled) evacuating.set(host.name, host.vm_count); else evacuating.delete(host.name);
      await act(() => post(`/api/v1/hosts/${encodeURIComponent(host.name)}/maintenance`, { enabled }));
    } catch (e) {
      evacuating.delete(host.name);
      error.textContent = `maintenance ${host.name}: ${e.message}`;
    }
  }

  function progress(x) {
    if (x.state !== 'maintenance') return '';
    const start = evacuating.get(x.name);
    if (x.vm_count === 0) return h('span', { 'data-field': 'evacuation' }, 'evacuated');
    return h('span', { 'data-field': 'evacuation' },
      start ? h('progress', { max: start, value: start - x.vm_count, 'aria-label': `${x.name} evacuation` }) : '',
      ` ${x.vm_count} VM(s) left`);
  }

  root.append(h('h1', {}, 'Hosts'), h('h2', {}, 'Add'), form, addError, error,
    h('table', {}, h('thead', {}, h('tr', {}, ...['Name', 'State', 'Driver', 'CPUs', 'Memory', 'VMs', 'CPU use', 'Memory use', 'URI', 'Maintenance']
      .map((c) => h('th', {}, c)))), body));
  return {
    update(state) {
      body.replaceChildren(...state.hosts.map((x) => h('tr', { 'data-host': x.name },
        h('td', {}, h('a', { href: `#/hosts/${encodeURIComponent(x.name)}` }, x.name)), h('td', { class: `state-${x.state}`, 'data-field': 'state' }, x.state),
        h('td', {}, x.driver || ''),
        h('td', { class: 'num' }, x.cpus), h('td', { class: 'num' }, size(x.memory_bytes)), h('td', { class: 'num' }, x.vm_count),
        h('td', { class: 'num' }, x.usage ? percent(x.usage.cpu_cores / x.cpus) : ''),
        h('td', { class: 'num' }, x.usage ? percent(x.usage.memory_bytes / x.memory_bytes) : ''),
        h('td', { class: 'muted' }, x.uri),
        h('td', {}, x.state === 'maintenance'
          ? [h('button', { type: 'button', 'data-action': 'leave-maintenance', onclick: () => maintenance(x, false) }, 'Leave'), progress(x)]
          : h('button', { type: 'button', 'data-action': 'maintenance', onclick: () => maintenance(x, true) }, 'Enter')))));
    },
  };
}
