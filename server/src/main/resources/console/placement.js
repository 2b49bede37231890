// Explain placement (admins): where the scheduler would put a VM now, and why every other host was left out, from
// GET /api/v1/vms/NAME/placement (the same answer as `polyvisor vm explain NAME`).
import { h } from './dom.js';
import { get } from './api.js';

export function placementExplainer(root, vmName) {
  const result = h('div', { id: 'placement' });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'button', id: 'explain-placement' }, 'Explain placement');
  button.addEventListener('click', async () => {
    button.disabled = true;
    error.textContent = '';
    try {
      show(result, await get(`/api/v1/vms/${encodeURIComponent(vmName)}/placement`));
    } catch (e) {
      error.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  root.append(h('h2', {}, 'Placement'), h('p', {}, button), error, result);
}

function show(root, x) {
  const d = x.decision || {};
  const verdict = d.reason ? `No host fits now: ${d.reason}` : `Would be placed on ${d.host} now.`;
  const scorers = [...new Set(x.hosts.flatMap((v) => Object.keys(v.scores || {})))].sort();
  root.replaceChildren(h('p', { id: 'placement-decision' }, verdict),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Host'), h('th', {}, 'Verdict'), ...scorers.map((s) => h('th', {}, s)))),
      h('tbody', { id: 'placement-rows' }, ...x.hosts.map((v) => h('tr', { 'data-host': v.host },
        h('td', {}, v.host),
        h('td', { 'data-field': 'verdict' }, v.excluded_by ? `excluded by ${v.excluded_by}: ${v.reason || ''}` : `score ${v.score.toFixed(3)}`),
        ...scorers.map((s) => h('td', { class: 'num' }, v.scores && s in v.scores ? v.scores[s].toFixed(3) : '')))))));
}
