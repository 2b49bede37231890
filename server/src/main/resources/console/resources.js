// Resources (#/resources): projects, users, networks, security groups, volumes, templates, elastic groups and images,
// each a module of its own (projects.js, users.js, networks.js, secgroups.js, volumes.js, templates.js, groups.js,
// images.js) read from and acted on through the same REST API as `polyvisor project|user|network|secgroup|volume|
// template|group|image`. A kind is shown to the roles the API lets list it, and
// its forms and buttons only to the roles the API lets act on it (roles.js; the API enforces it anyway). Lists are
// re-read every 3 s while the view is open, and right after each action.
import { h, parts } from './dom.js';
import { get } from './api.js';
import { can } from './roles.js';
import * as projects from './projects.js';
import * as users from './users.js';
import * as networks from './networks.js';
import * as volumes from './volumes.js';
import * as groups from './groups.js';
import * as images from './images.js';
import * as templates from './templates.js';
import * as secgroups from './secgroups.js';

const KINDS = [projects, users, networks, secgroups, volumes, templates, groups, images];
const READ_EVERY_MS = 3000;

export function mount(root, { act, me }) {
  const kinds = KINDS.filter((k) => can(me, k.LISTS));
  const data = {};
  const drawn = {};
  /** "action name" keys whose first press of a two-press button was made. */
  const pending = new Set();
  // project names for the project fields of create forms: every project for admins, its own for the others
  const projectNames = h('datalist', { id: 'project-names' });
  const ctx = {
    me, pending,
    projects: () => (can(me, 'admin') ? (data.projects || []).map((p) => p.name) : me.projects),
    /** Runs an action (a refusal rejects with the API's detail), then re-reads the lists. */
    act: async (work) => { try { return await act(work); } finally { await load(); } },
  };
  root.append(h('h1', {}, 'Resources'), projectNames);
  const sections = kinds.map((k) => {
    const acts = can(me, k.ACTS);
    const body = h('tbody', { id: `${k.ID}-rows` });
    const error = h('p', { id: `${k.ID}-error`, class: 'error', role: 'alert' });
    const section = { k, acts, body, error };
    const kctx = {
      ...ctx,
      redraw: () => draw(section, true),
      /** A row's action: a refusal shows above the list as "label: detail". */
      run: async (label, work) => {
        error.textContent = '';
        try { await ctx.act(work); } catch (e) { error.textContent = `${label}: ${e.message}`; }
        draw(section, true); // a refused action changed no data: redraw its row's buttons all the same
      },
    };
    section.ctx = kctx;
    section.forms = acts && k.forms ? k.forms(kctx) : null;
    const headers = [...k.headers(), acts && k.actions && 'Actions'].filter(Boolean);
    root.append(...parts(h('h2', {}, k.TITLE), section.forms && section.forms.nodes, error,
      h('table', { id: `${k.ID}-table` }, h('thead', {}, h('tr', {}, ...headers.map((c) => h('th', {}, c)))), body)));
    return section;
  });

  function draw(section, force) {
    const { k, acts, body, ctx: kctx } = section;
    const items = data[k.ID];
    if (!items) return;
    const json = JSON.stringify(items);
    if (!force && drawn[k.ID] === json) return; // unchanged: keep the rows (and any focus in them)
    drawn[k.ID] = json;
    const width = k.headers().length + (acts && k.actions ? 1 : 0);
    body.replaceChildren(...(items.length
      ? items.map((x) => h('tr', { 'data-name': x.name }, ...k.cells(x).map((c) => h('td', {}, c)),
        acts && k.actions && h('td', {}, ...k.actions(x, kctx))))
      : [h('tr', {}, h('td', { colspan: width, class: 'muted' }, 'none'))]));
    if (section.forms && section.forms.update) section.forms.update(data);
  }

  let read = 0;
  async function load() {
    read = Date.now();
    await Promise.all(sections.map(async (section) => {
      try {
        data[section.k.ID] = await get(section.k.PATH);
      } catch (e) {
        section.error.textContent = e.message;
      }
    }));
    projectNames.replaceChildren(...ctx.projects().map((p) => h('option', { value: p })));
    for (const section of sections) draw(section, false);
  }
  return { update() { if (Date.now() - read > READ_EVERY_MS) load(); } };
}
