// Settings (#/settings, admins): the cluster's settings documents, each a form drawn from what the API answers (HA
// admission and fencing, the balancer's mode and automation, the guest API's rate limit, retention), as `polyvisor ha
// settings`, `balance settings`, `coord settings` and `retention` set them; and the audit journal's newest entries (every
// state-changing request, its actor and status), filtered by actor. Only changed fields are sent; the API validates.
import { h } from './dom.js';
import { call, get } from './api.js';
import { form, input } from './resource-kit.js';

/** [id, title, path, method that changes it]. */
const DOCUMENTS = [
  ['ha', 'High availability', '/api/v1/ha/settings', 'PUT'],
  ['balance', 'Balancer', '/api/v1/balance/settings', 'POST'],
  ['guest-rate', 'Guest API rate limit (per VM)', '/api/v1/coord/settings', 'PUT'],
  ['retention', 'Retention', '/api/v1/retention', 'POST'],
];
const AUDIT_ROWS = 100;

export function mount(root, { act }) {
  root.append(h('h1', {}, 'Settings'));
  const loaders = DOCUMENTS.map(([id, title, path, method]) => settingsForm(root, id, title, path, method, act));
  const audit = auditTable(root);
  return { update() {}, loaded: Promise.all([...loaders.map((l) => l()), audit()]) };
}

/** A form with one field per key of the document; saving sends the fields whose text changed, then reads it again. */
function settingsForm(root, id, title, path, method, act) {
  const box = h('section', { id: `settings-${id}` });
  const error = h('p', { id: `settings-${id}-load-error`, class: 'error', role: 'alert' });
  root.append(h('h2', {}, title), error, box);
  let current = {};
  const load = async () => {
    try {
      current = await get(path);
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    const fields = Object.entries(current).map(([key, value]) => [key, input(`settings-${id}-${key}`, { value: String(value), 'data-keep': true })]);
    const saved = h('p', { id: `settings-${id}-saved`, class: 'muted', role: 'status' });
    box.replaceChildren(form(`settings-${id}-form`, fields.map(([key, control]) => [key.replaceAll('_', ' '), control]), 'Save', async () => {
      saved.textContent = '';
      const body = {};
      for (const [key, control] of fields) {
        const text = control.value.trim();
        if (text === String(current[key])) continue;
        body[key] = typeof current[key] === 'number' && text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
      }
      if (Object.keys(body).length === 0) { saved.textContent = 'nothing changed'; return; }
      await act(() => call(method, path, body));
      await load();
      box.querySelector('[role=status]').textContent = `saved: ${Object.keys(body).join(', ')}`;
    }), saved);
  };
  return load;
}

/** The newest entries of the audit journal, newest at the top, optionally of one actor. */
function auditTable(root) {
  const actor = input('audit-actor', { placeholder: 'every actor', 'data-keep': true });
  const body = h('tbody', { id: 'audit-rows' });
  const error = h('p', { id: 'audit-error', class: 'error', role: 'alert' });
  const load = async () => {
    const who = actor.value.trim();
    const entries = await get(`/api/v1/audit?newest=true&limit=${AUDIT_ROWS}${who ? `&actor=${encodeURIComponent(who)}` : ''}`);
    body.replaceChildren(...(entries.length
      ? entries.reverse().map((e) => h('tr', { 'data-seq': e.seq }, h('td', {}, new Date(e.at).toLocaleString()), h('td', {}, e.actor),
        h('td', {}, e.role || ''), h('td', {}, e.method), h('td', {}, e.path), h('td', {}, e.status)))
      : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'none'))]));
  };
  root.append(h('h2', {}, `Audit journal (newest ${AUDIT_ROWS})`), form('audit-filter-form', [['Actor', actor]], 'Show', load), error,
    h('table', { id: 'audit-table' }, h('thead', {}, h('tr', {}, ...['At', 'Actor', 'Role', 'Method', 'Path', 'Status'].map((c) => h('th', {}, c)))), body));
  return () => load().catch((e) => { error.textContent = e.message; });
}
