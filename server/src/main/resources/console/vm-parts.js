// A VM's parts on its page (#/vms/NAME): disks, NICs and snapshots, each a table, and for a role that may operate the
// VM the same actions as `polyvisor vm disk attach|detach`, `vm nic plug|unplug` and `vm snapshot create|revert|delete`,
// through the same REST routes. A refusal shows the API's own detail in the section's error line.
import { h, parts } from './dom.js';
import { get, post, del } from './api.js';
import { form, select, twoPress } from './resource-kit.js';

/**
 * Mounts the three sections under root. act runs a request and re-reads the console's state (app.js); the VM's disks
 * and NICs come from that state (update(vm)), its snapshots, the volumes it may attach and the networks it may join are
 * read here, after each action and when the VM's state changes.
 */
export function vmParts(root, name, acts, act) {
  const path = `/api/v1/vms/${encodeURIComponent(name)}`;
  const pending = new Set();
  let vm = null;
  let snapshots = [];
  let volumes = [];
  let networks = [];
  let lastState = null;

  const section = (id, title, headers, forms) => {
    const body = h('tbody', { id: `${id}-rows` });
    const error = h('p', { id: `${id}-error`, class: 'error', role: 'alert' });
    root.append(...parts(h('h2', {}, title), acts && forms, error,
      h('table', { id: `${id}-table` }, h('thead', {}, h('tr', {}, ...[...headers, acts && 'Actions'].filter(Boolean).map((c) => h('th', {}, c)))), body)));
    return { body, error, width: headers.length + (acts ? 1 : 0) };
  };
  const rows = (s, items, key, cells, actions) => {
    s.body.replaceChildren(...(items.length
      ? items.map((x, i) => h('tr', { 'data-name': key(x) }, ...cells(x).map((c) => h('td', {}, c)), acts && h('td', {}, ...actions(x, i))))
      : [h('tr', {}, h('td', { colspan: s.width, class: 'muted' }, 'none'))]));
  };
  /** A row's action: its refusal shows in the section's error line as "label: detail". */
  const run = (s, label, work) => async () => {
    s.error.textContent = '';
    try { await act(work); } catch (e) { s.error.textContent = `${label}: ${e.message}`; }
    await load();
  };
  const acting = async (work) => { try { return await act(work); } finally { await load(); } };

  const volumeChoice = select('vm-disk-volume');
  const disks = section('vm-disks', 'Disks', ['Volume', 'Size', 'Bus', 'Pool'],
    form('vm-disk-attach-form', [['Free volume', volumeChoice]], 'Attach disk',
      () => acting(() => post(`${path}/disks`, { volume: volumeChoice.value }))));
  const networkChoice = select('vm-nic-network');
  const nics = section('vm-nics', 'NICs', ['Network', 'MAC', 'Address'],
    form('vm-nic-plug-form', [['Network', networkChoice]], 'Plug NIC',
      () => acting(() => post(`${path}/nics`, { network: networkChoice.value }))));
  const snapshotName = h('input', { id: 'vm-snapshot-name', name: 'vm-snapshot-name', autocomplete: 'off' });
  const snaps = section('vm-snapshots', 'Snapshots', ['Name', 'Taken', 'Memory'],
    form('vm-snapshot-create-form', [['Name', snapshotName]], 'Take snapshot',
      () => acting(() => post(`${path}/snapshots`, { name: snapshotName.value.trim() }))));

  function draw() {
    if (!vm) return;
    const redraw = draw;
    rows(disks, vm.disks || [], (d) => d.volume, (d) => [d.volume, d.size, d.bus, d.pool || 'local'],
      (d, i) => (i === 0 ? [] : twoPress(pending, 'detach', d.volume, 'Detach', redraw,
        run(disks, `detach ${d.volume}`, () => del(`${path}/disks/${encodeURIComponent(d.volume)}`)))));
    rows(nics, vm.nics || [], (n) => n.mac || n.network, (n) => [n.network, n.mac || '', n.ip || ''],
      (n) => (n.network === 'user' ? [] : twoPress(pending, 'unplug', n.mac, 'Unplug', redraw,
        run(nics, `unplug ${n.mac}`, () => del(`${path}/nics/${encodeURIComponent(n.mac)}`)))));
    rows(snaps, snapshots, (s) => s.name, (s) => [s.name, new Date(s.created).toLocaleString(), s.running ? 'yes' : 'no'],
      (s) => [
        ...twoPress(pending, 'revert', s.name, 'Revert to', redraw,
          run(snaps, `revert to ${s.name}`, () => post(`${path}/snapshots/${encodeURIComponent(s.name)}/revert`, {}))),
        ...twoPress(pending, 'delete', s.name, 'Delete', redraw,
          run(snaps, `delete ${s.name}`, () => del(`${path}/snapshots/${encodeURIComponent(s.name)}`))),
      ]);
    volumeChoice.fill(volumes.filter((v) => !v.vm && v.project === vm.project).map((v) => [v.name, `${v.name} (${v.size})`]));
    networkChoice.fill(networks.filter((n) => n.project === vm.project).map((n) => n.name));
  }

  async function load() {
    try {
      snapshots = await get(`${path}/snapshots`);
      if (acts) [volumes, networks] = await Promise.all([get('/api/v1/volumes'), get('/api/v1/networks')]);
    } catch (e) {
      snaps.error.textContent = e.message;
    }
    draw();
  }

  return {
    update(next) {
      const first = vm === null;
      vm = next;
      if (first || next.state !== lastState) load(); else draw();
      lastState = next.state;
    },
  };
}

