// One host (#/hosts/NAME): its state and capacity, and charts of its measured CPU and memory over the last hour.
import { h, percent, size } from './dom.js';
import { usageCharts } from './charts.js';

export function mount(root, { param }) {
  const facts = h('p', { id: 'host-facts' });
  const title = h('h1', {}, `Host ${param}`);
  const error = h('p', { class: 'error', role: 'alert' });
  root.append(h('p', {}, h('a', { href: '#/hosts' }, '← Hosts')), title, facts, error, h('h2', {}, 'Last hour'));
  let charts = null;
  return {
    update(state) {
      const host = state.hosts.find((x) => x.name === param);
      if (!host) { facts.textContent = 'no such host'; return; }
      facts.textContent = `${host.state}, ${host.driver || ''}, ${host.cpus} CPUs, ${size(host.memory_bytes)}, ${host.vm_count} VMs`
        + (host.usage ? `; now CPU ${percent(host.usage.cpu_cores / host.cpus)}, memory ${percent(host.usage.memory_bytes / host.memory_bytes)}` : '');
      if (!charts) charts = usageCharts(root, `/api/v1/hosts/${encodeURIComponent(param)}/history`, host.name, host.cpus);
      charts.reload().catch((e) => { error.textContent = e.message; });
    },
    close() { if (charts) charts.close(); },
  };
}
