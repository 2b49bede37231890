// The balance plan (#/balance, admins): the live migrations the balancer proposes now, each with its reason and
// cost (GET /api/v1/plans/balance, a preview that changes nothing), and Apply, which queues them
// (POST /api/v1/plans/balance/apply) and shows each move's task or why it was refused.
import { h } from './dom.js';
import { get, post } from './api.js';

export function mount(root, { act }) {
  const mode = h('select', { id: 'balance-mode' }, h('option', { value: 'balance' }, 'balance'), h('option', { value: 'consolidate' }, 'consolidate'));
  const summary = h('p', { id: 'balance-summary' });
  const moves = h('tbody', { id: 'balance-moves' });
  const notes = h('ul', { id: 'balance-notes' });
  const error = h('p', { class: 'error', role: 'alert', id: 'balance-error' });
  const apply = h('button', { type: 'button', id: 'balance-apply', disabled: true, onclick: applyPlan }, 'Apply');
  const preview = h('button', { type: 'button', id: 'balance-preview', onclick: () => load() }, 'Preview again');
  mode.addEventListener('input', () => load());
  root.append(h('h1', {}, 'Balance plan'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Mode ', mode), preview, apply), error, summary,
    h('table', {}, h('thead', {}, h('tr', {}, ...['VM', 'From', 'To', 'Kind', 'Cost', 'Reason', 'Outcome'].map((c) => h('th', {}, c)))), moves),
    h('h2', {}, 'Notes'), notes);

  function draw(plan, applied) {
    summary.textContent = plan.moves.length
      ? `${plan.moves.length} move(s); imbalance ${plan.imbalance_before.toFixed(3)} → ${plan.imbalance_after.toFixed(3)}`
      : 'nothing to move';
    moves.replaceChildren(...plan.moves.map((m) => h('tr', { 'data-vm': m.vm }, h('td', {}, m.vm), h('td', {}, m.from), h('td', {}, m.to),
      h('td', {}, m.kind), h('td', { class: 'num' }, `${Math.round(m.cost_seconds)} s`), h('td', { 'data-field': 'reason' }, m.reason),
      h('td', { 'data-field': 'outcome' }, applied ? (m.refused ? `refused: ${m.refused}` : 'migration queued') : ''))));
    notes.replaceChildren(...[...plan.notes, ...(plan.power_down || []).map((x) => `host ${x} can be powered down`)]
      .map((n) => h('li', {}, n)));
    apply.disabled = applied || plan.moves.length === 0;
  }

  async function load() {
    error.textContent = '';
    try {
      draw(await get(`/api/v1/plans/balance?mode=${mode.value}`), false);
    } catch (e) {
      error.textContent = e.message;
    }
  }

  async function applyPlan() {
    error.textContent = '';
    try {
      draw(await act(() => post('/api/v1/plans/balance/apply', { mode: mode.value })), true);
    } catch (e) {
      error.textContent = e.message;
    }
  }

  load();
  return { update() {} };
}
