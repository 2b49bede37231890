// VMs: search by name, filter by state, sort; start, stop and delete; a create form that shows the API's own
// validation message (the problem+json detail) next to it. A viewer gets the list without the form or the buttons.
// The list is virtualised: it scrolls in its own box and only the rows in view (and OVERSCAN more each side) are in
// the DOM, with spacer rows for the rest, so a thousand VMs draw as fast as forty. aria-rowcount and aria-rowindex
// tell assistive technology the whole list's size and each drawn row's place in it.
import { h, parts, size } from './dom.js';
import { del, post } from './api.js';
import { can } from './roles.js';

/** Rows drawn beyond those in view, above and below, so a scroll shows drawn rows while the next window is drawn. */
const OVERSCAN = 15;
/** Rows drawn before a row's height is known (the first draw). */
const FIRST_WINDOW = 50;

const SORTS = {
  name: (a, b) => a.name.localeCompare(b.name),
  state: (a, b) => a.state.localeCompare(b.state) || a.name.localeCompare(b.name),
  host: (a, b) => (a.host || '').localeCompare(b.host || '') || a.name.localeCompare(b.name),
  memory: (a, b) => b.memory_bytes - a.memory_bytes || a.name.localeCompare(b.name),
};

export function mount(root, { act, me }) {
  const operate = can(me, 'operate');
  const search = h('input', { id: 'vm-search', type: 'search', placeholder: 'name contains…' });
  const stateFilter = h('select', { id: 'vm-state-filter' },
    ...['', 'running', 'stopped', 'pending', 'paused', 'migrating', 'failed', 'unknown'].map((s) => h('option', { value: s }, s || 'any')));
  const sort = h('select', { id: 'vm-sort' }, ...Object.keys(SORTS).map((s) => h('option', { value: s }, s)));
  const body = h('tbody', { id: 'vm-rows' });
  /** The VMs the list shows now (filtered and sorted), of which only a window is drawn. */
  let shown = [];
  /** Height of a drawn row in px, measured after the first draw (0 = not yet). */
  let rowHeight = 0;
  let scrollPending = false;
  const count = h('span', { class: 'muted', id: 'vm-count' });
  const error = h('p', { id: 'vm-error', class: 'error', role: 'alert' });
  let last = null;
  /** VMs whose Delete was pressed once: the second press (on "Delete NAME?") deletes. */
  const confirming = new Set();
  /** The destination chosen in each row's migrate list, kept across redraws. */
  const destinations = new Map();

  const name = h('input', { id: 'create-name', name: 'name', required: true, autocomplete: 'off' });
  const vcpus = h('input', { id: 'create-vcpus', name: 'vcpus', type: 'number', min: 1, value: 1 });
  const memory = h('input', { id: 'create-memory', name: 'memory', value: '256M', required: true });
  const host = h('select', { id: 'create-host', name: 'host' }, h('option', { value: '' }, 'placed by the scheduler'));
  const createError = h('p', { id: 'create-error', class: 'error', role: 'alert' });
  const form = h('form', { id: 'create-form', class: 'inline', novalidate: true, onsubmit: create },
    h('label', {}, 'Name', name), h('label', {}, 'vCPUs', vcpus), h('label', {}, 'Memory', memory),
    h('label', {}, 'Host', host), h('button', { type: 'submit' }, 'Create'));

  async function create(event) {
    event.preventDefault();
    createError.textContent = '';
    const body = { name: name.value.trim(), vcpus: Number(vcpus.value), memory: memory.value.trim() };
    if (host.value) body.host = host.value;
    try {
      await act(() => post('/api/v1/vms', body));
      name.value = '';
    } catch (e) {
      createError.textContent = e.message;
    }
  }

  async function run(label, work) {
    error.textContent = '';
    try {
      await act(work);
    } catch (e) {
      error.textContent = `${label}: ${e.message}`;
    }
  }

  function row(vm) {
    const ref = encodeURIComponent(vm.name);
    return h('tr', { 'data-vm': vm.name },
      h('td', {}, h('a', { href: `#/vms/${ref}` }, vm.name)),
      h('td', { class: `state-${vm.state}`, 'data-field': 'state' }, vm.state),
      h('td', {}, vm.host || ''), h('td', { class: 'num' }, vm.vcpus), h('td', { class: 'num' }, size(vm.memory_bytes)),
      operate && h('td', {},
        h('button', { type: 'button', 'data-action': 'start', disabled: vm.state === 'running',
          onclick: () => run(`start ${vm.name}`, () => post(`/api/v1/vms/${ref}/start`)) }, 'Start'),
        h('button', { type: 'button', 'data-action': 'stop', disabled: vm.state !== 'running',
          onclick: () => run(`stop ${vm.name}`, () => post(`/api/v1/vms/${ref}/stop`)) }, 'Stop'),
        migration(vm, ref),
        confirming.has(vm.name)
          ? [h('button', { type: 'button', 'data-action': 'confirm-delete', class: 'danger',
            onclick: () => { confirming.delete(vm.name); run(`delete ${vm.name}`, () => del(`/api/v1/vms/${ref}`)); } }, `Delete ${vm.name}?`),
          h('button', { type: 'button', 'data-action': 'cancel-delete', onclick: () => { confirming.delete(vm.name); draw(); } }, 'Cancel')]
          : h('button', { type: 'button', 'data-action': 'delete', onclick: () => { confirming.add(vm.name); draw(); } }, 'Delete')));
  }

  /** Migrate: a destination and a button while the VM runs; while a migrate task of it is queued or running, a progress bar. */
  function migration(vm, ref) {
    const task = last.tasks.find((t) => t.kind === 'migrate' && t.vm_name === vm.name && (t.status === 'queued' || t.status === 'running'));
    if (task) {
      return h('span', { 'data-field': 'migration' }, h('progress', { 'aria-label': `${vm.name} migrating to ${task.target}` }),
        ` migrating to ${task.target} (${task.status})`);
    }
    const targets = last.hosts.filter((x) => x.name !== vm.host && x.state === 'connected');
    if (vm.state !== 'running' || targets.length === 0) return '';
    const to = h('select', { 'data-action': 'migrate-to', 'aria-label': `migrate ${vm.name} to` },
      ...targets.map((x) => h('option', { value: x.name, selected: x.name === destinations.get(vm.name) }, x.name)));
    to.addEventListener('input', () => destinations.set(vm.name, to.value));
    return h('span', {}, to, h('button', { type: 'button', 'data-action': 'migrate',
      onclick: () => run(`migrate ${vm.name}`, () => post(`/api/v1/vms/${ref}/migrate`, { to: to.value })) }, 'Migrate'));
  }

  function draw() {
    if (!last) return;
    const text = search.value.trim().toLowerCase();
    shown = last.vms
      .filter((vm) => !text || vm.name.toLowerCase().includes(text))
      .filter((vm) => !stateFilter.value || vm.state === stateFilter.value)
      .sort(SORTS[sort.value]);
    drawWindow();
    count.textContent = `${shown.length} of ${last.vms.length}`;
    const chosen = host.value;
    host.replaceChildren(h('option', { value: '' }, 'placed by the scheduler'),
      ...last.hosts.map((x) => h('option', { value: x.name, selected: x.name === chosen }, x.name)));
  }

  /** Draws the rows in view of the scroll box, with spacer rows standing for the rows above and below. */
  function drawWindow() {
    const inView = rowHeight ? Math.ceil(scroller.clientHeight / rowHeight) : FIRST_WINDOW;
    const first = rowHeight ? Math.max(0, Math.min(shown.length - inView, Math.floor(scroller.scrollTop / rowHeight)) - OVERSCAN) : 0;
    const end = Math.min(shown.length, first + inView + 2 * OVERSCAN);
    const rows = shown.slice(first, end).map((vm, i) => {
      const tr = row(vm);
      tr.setAttribute('aria-rowindex', first + i + 2); // the header row is 1
      return tr;
    });
    const above = first > 0 && spacer(first);
    const below = end < shown.length && spacer(shown.length - end);
    body.replaceChildren(...parts(above, rows, below));
    table.setAttribute('aria-rowcount', shown.length + 1);
    if (!rowHeight && rows.length) {
      rowHeight = rows.reduce((sum, r) => sum + r.getBoundingClientRect().height, 0) / rows.length || 0;
      if (below) below.firstChild.style.height = `${(shown.length - end) * rowHeight}px`;
    }
  }

  function spacer(rowsStoodFor) {
    const cell = h('td', { colspan: 6 });
    cell.style.height = `${rowsStoodFor * rowHeight}px`;
    cell.style.padding = '0';
    cell.style.border = '0';
    return h('tr', { class: 'spacer', 'aria-hidden': 'true' }, cell);
  }

  const table = h('table', { id: 'vm-table' }, h('thead', {}, h('tr', { 'aria-rowindex': 1 },
    ...['Name', 'State', 'Host', 'vCPUs', 'Memory', operate && 'Actions'].filter(Boolean).map((c) => h('th', {}, c)))), body);
  // focusable, so keyboard users can scroll it (and axe's scrollable-region-focusable holds)
  const scroller = h('div', { class: 'vm-scroll', id: 'vm-scroll', tabindex: 0, role: 'region', 'aria-label': 'VM list' }, table);
  scroller.addEventListener('scroll', () => {
    if (scrollPending) return;
    scrollPending = true;
    requestAnimationFrame(() => { scrollPending = false; drawWindow(); });
  });
  for (const control of [search, stateFilter, sort]) control.addEventListener('input', draw);
  root.append(...parts(
    h('h1', {}, 'VMs'),
    operate && [h('h2', {}, 'Create'), form, createError],
    h('div', { class: 'toolbar' }, h('label', {}, 'Search ', search), h('label', {}, 'State ', stateFilter),
      h('label', {}, 'Sort by ', sort), count),
    error, scroller));
  return { update(state) { last = state; draw(); } };
}
