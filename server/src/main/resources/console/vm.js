// One VM (#/vms/NAME): its state and placement (with the scheduler's explanation, for admins), its serial console while it runs (and its graphical display, for a VM
// with display vnc: view only for a role that may not operate it), its disks, NICs and snapshots (vm-parts.js: with their
// actions for a role that may operate it), and charts of its measured CPU and memory over the last hour.
import { h, size } from './dom.js';
import { usageCharts } from './charts.js';
import { serialTerminal } from './serial.js';
import { displayScreen } from './display.js';
import { placementExplainer } from './placement.js';
import { can } from './roles.js';
import { vmParts } from './vm-parts.js';

export function mount(root, { param, me, act }) {
  const facts = h('p', { id: 'vm-facts' });
  const error = h('p', { class: 'error', role: 'alert' });
  const chartBox = h('section', { id: 'vm-charts' });
  const consoleBox = h('section', { id: 'serial' });
  const displayBox = h('section', { id: 'display' });
  root.append(h('p', {}, h('a', { href: '#/vms' }, '← VMs')), h('h1', {}, `VM ${param}`), facts, error);
  if (can(me, 'admin')) placementExplainer(root, param);
  const partsBox = h('section', { id: 'vm-parts' });
  root.append(consoleBox, displayBox, partsBox, h('h2', {}, 'Last hour'), chartBox);
  const parts = vmParts(partsBox, param, can(me, 'operate'), act);
  let charts = null;
  let serial = null;
  let display = null;
  return {
    update(state) {
      const vm = state.vms.find((x) => x.name === param);
      if (!vm) { facts.textContent = 'no such VM'; return; }
      facts.textContent = `${vm.state}${vm.host ? ` on ${vm.host}` : ''}, ${vm.vcpus} vCPUs, ${size(vm.memory_bytes)}`;
      if (!serial && vm.state === 'running') serial = serialTerminal(consoleBox, vm.name, can(me, 'operate'));
      if (!display && vm.state === 'running' && vm.display === 'vnc') display = displayScreen(displayBox, vm.name, !can(me, 'operate'));
      parts.update(vm);
      if (!charts) charts = usageCharts(chartBox, `/api/v1/vms/${encodeURIComponent(param)}/history`, vm.name, vm.vcpus);
      charts.reload().catch((e) => { error.textContent = e.message; });
    },
    close() { if (charts) charts.close(); if (serial) serial.close(); if (display) display.close(); },
  };
}
