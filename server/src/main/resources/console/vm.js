// One VM (#/vms/NAME): its state and placement, and charts of its measured CPU and memory over the last hour.
import { h, size } from './dom.js';
import { usageCharts } from './charts.js';

export function mount(root, { param }) {
  const facts = h('p', { id: 'vm-facts' });
  const error = h('p', { class: 'error', role: 'alert' });
  root.append(h('p', {}, h('a', { href: '#/vms' }, '← VMs')), h('h1', {}, `VM ${param}`), facts, error, h('h2', {}, 'Last hour'));
  let charts = null;
  return {
    update(state) {
      const vm = state.vms.find((x) => x.name === param);
      if (!vm) { facts.textContent = 'no such VM'; return; }
      facts.textContent = `${vm.state}${vm.host ? ` on ${vm.host}` : ''}, ${vm.vcpus} vCPUs, ${size(vm.memory_bytes)}`;
      if (!charts) charts = usageCharts(root, `/api/v1/vms/${encodeURIComponent(param)}/history`, vm.name, vm.vcpus);
      charts.reload().catch((e) => { error.textContent = e.message; });
    },
    close() { if (charts) charts.close(); },
  };
}
