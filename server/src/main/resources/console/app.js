// The console's shell: sign-in, navigation between views, the shared state, and live updates.
// State comes from the REST API (reads.js: an event re-reads only what it is about), and the current view redraws
// from it after each answer applied.
// Who is signed in (GET /api/v1/whoami) decides what is shown: views and buttons the role cannot use are not drawn
// (roles.js). That is a courtesy only: the API enforces every permission whatever the page shows.
import { ApiError, call, follow, get } from './api.js';
import * as dashboard from './dashboard.js';
import * as hosts from './hosts.js';
import * as vms from './vms.js';
import * as events from './events.js';
import * as host from './host.js';
import * as vm from './vm.js';
import * as ha from './ha.js';
import * as balance from './balance.js';
import * as resources from './resources.js';
import * as settings from './settings.js';
import { can, views } from './roles.js';
import { reader } from './reads.js';

const VIEWS = { dashboard, hosts, vms, events, host, vm, ha, balance, resources, settings };
/** The view of one item under a list: #/hosts/h1 opens the host view of h1. */
const ITEM_VIEWS = { hosts: 'host', vms: 'vm' };
const KEPT_EVENTS = 200;
/** Measured usage changes without an event: hosts and tasks are also re-read this often. */
const USAGE_REFRESH_MS = 10_000;
/**
 * With the live stream every change to a VM comes as an event naming it, so the whole VM list is re-read only every
 * this many usage refreshes, as a safety net. Every role gets the stream: other roles than admin get the events of
 * their projects' VMs only (and have no hosts to re-read).
 */
const FULL_REFRESH_EVERY = 6;

/** lastSeq: the last event seen on the stream; listedThrough: the last event the VM list reflected (reads.js). */
const state = { me: null, hosts: [], vms: [], tasks: [], events: [], lastSeq: 0, listedThrough: 0 };
let current = null;
let live = null;
let ticker = null;
const reads = reader(state, () => { if (current) current.update(state); });

const $ = (id) => document.getElementById(id);

/** Re-reads everything; resolves once that read is applied. */
const refresh = () => reads.all();

/** Runs an action the user asked for; a refused one is shown to them, a lost session sends them to sign in. */
export async function act(work) {
  try {
    const result = await work();
    await refresh();
    return result;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signedOut();
    throw e;
  }
}

function show(name, param) {
  const allowed = views(state.me);
  const view = VIEWS[name] && allowed.includes(name) ? name : 'dashboard';
  const section = Object.keys(ITEM_VIEWS).find((k) => ITEM_VIEWS[k] === view) || view;
  for (const a of document.querySelectorAll('#nav a')) {
    a.hidden = !allowed.includes(a.dataset.view);
    if (a.dataset.view === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const root = $('view');
  if (current && current.close) current.close();
  root.replaceChildren();
  current = VIEWS[view].mount(root, { act, me: state.me, param });
  current.update(state);
}

function route() {
  let list, item;
  try { [list, item] = location.hash.replace(/^#\//, '').split('/').map(decodeURIComponent); } catch (e) { /* a malformed hash opens the dashboard */ }
  if (item && ITEM_VIEWS[list]) show(ITEM_VIEWS[list], item); else show(list);
}

/**
 * Follows the event stream. The first time from KEPT_EVENTS before the last event the VM list reflected (so the
 * timeline starts with recent history, and a fresh page does not replay the whole log); after a drop from the last
 * event seen. If retention removed events it needs (410), it lists everything again and starts after that list.
 */
function startLive() {
  live = new AbortController();
  const abort = live;
  const indicator = $('live');
  indicator.hidden = false;
  const from = () => (state.lastSeq > 0 ? state.lastSeq : Math.max(0, state.listedThrough - KEPT_EVENTS));
  const run = async () => {
    while (!abort.signal.aborted) {
      indicator.textContent = 'live';
      try {
        await follow(from(), (e) => {
          state.lastSeq = e.seq;
          state.events.push(e);
          if (state.events.length > KEPT_EVENTS) state.events.splice(0, state.events.length - KEPT_EVENTS);
          reads.event(e);
        }, abort);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) { signedOut(); return; }
        if (e instanceof ApiError && e.status === 410) {
          await refresh().catch(() => {});
          state.lastSeq = state.listedThrough;
        }
      }
      if (abort.signal.aborted) return;
      indicator.textContent = 'reconnecting…';
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  run();
}

function signedIn() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  const who = $('who');
  who.hidden = false;
  who.textContent = `${state.me.name} (${state.me.role})`;
  route();
  if (!live) startLive();
  let ticks = 0;
  if (!ticker) {
    ticker = setInterval(() => {
      ticks += 1;
      if (ticks % FULL_REFRESH_EVERY === 0) { refresh().catch(() => {}); return; }
      reads.hosts().catch(() => {});
      reads.tasks().catch(() => {});
    }, USAGE_REFRESH_MS);
  }
}

function signedOut() {
  if (live) { live.abort(); live = null; }
  if (ticker) { clearInterval(ticker); ticker = null; }
  Object.assign(state, { me: null, hosts: [], vms: [], tasks: [], events: [], lastSeq: 0, listedThrough: 0 });
  reads.reset();
  if (current && current.close) current.close();
  current = null;
  $('view').replaceChildren();
  $('who').hidden = true;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('live').hidden = true;
  $('sign-in').hidden = false;
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const field = $('token');
  const error = $('sign-in-error');
  error.textContent = '';
  try {
    await call('POST', '/api/v1/session', { token: field.value });
    field.value = '';
    state.me = null;
    await refresh();
    signedIn();
  } catch (e) {
    error.textContent = e.message;
  }
}

async function signOut() {
  try { await call('DELETE', '/api/v1/session'); } catch (e) { /* the session is gone either way */ }
  signedOut();
}

async function boot() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', () => { if (!$('nav').hidden) route(); });
  try {
    await refresh();
    signedIn();
  } catch (e) {
    signedOut();
    if (!(e instanceof ApiError && e.status === 401)) $('sign-in-error').textContent = e.message;
  }
}

boot();
