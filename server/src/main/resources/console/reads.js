// Keeps the console's state (who is signed in, hosts, VMs, tasks) current with as little reading as possible.
// A vm.state event carries the VM's new state, host and detail (its data): they are shown at once, before any read.
// An event on the live stream re-reads only what it is about: a vm.* or task.* event the VM it names
// (GET /api/v1/vms/NAME; a 404 removes it) and, for task.*, the task list; a host.* event the hosts; any other event,
// or events naming more than MAX_SINGLE_READS VMs in one chunk of the stream, everything. Reads of single VMs, tasks
// and hosts start at once and run side by side; each is numbered when it starts, and an answer is applied only if
// nothing started later has been applied for the same thing (a VM, the tasks, the hosts, or the whole list), so an
// older answer never overwrites a newer one. At most one full read runs, with at most one queued behind it.
import { ApiError, get, listed } from './api.js';
import { can } from './roles.js';

/** More VMs than this named by one chunk of events are re-read as one list instead of one by one. */
const MAX_SINGLE_READS = 20;

/** changed() is called after each applied answer (the view redraws). */
export function reader(state, changed) {
  let started = 0;
  let fullApplied = 0;
  let hostsApplied = 0;
  let tasksApplied = 0;
  /** VM name -> number of the newest single read applied for it since the last full read. */
  const vmApplied = new Map();
  let fullRead = null;
  let queuedFullRead = null;
  let marks = null;

  const admin = () => can(state.me, 'admin');

  async function readEverything() {
    const n = ++started;
    // on a first read, who is signed in is read beside the VMs and tasks, and the hosts (admin-only) right after it
    const who = state.me ? Promise.resolve(state.me) : get('/api/v1/whoami');
    const hosts = who.then((me) => (can(me, 'admin') ? get('/api/v1/hosts') : []));
    const [me, h, list, t] = await Promise.all([who, hosts, listed('/api/v1/vms'), get('/api/v1/tasks?limit=100')]);
    const v = list.data;
    state.me = me;
    state.listedThrough = Math.max(state.listedThrough || 0, list.through);
    if (n > hostsApplied) { state.hosts = can(me, 'admin') ? h : []; hostsApplied = n; }
    if (n > tasksApplied) { state.tasks = t; tasksApplied = n; }
    const now = new Map(state.vms.map((x) => [x.name, x]));
    const vms = v.filter((x) => !((vmApplied.get(x.name) || 0) > n));
    for (const [name, applied] of vmApplied) {
      if (applied < n) vmApplied.delete(name);
      else if (now.has(name)) vms.push(now.get(name)); // read after this list started: keep it (or its absence)
    }
    state.vms = vms;
    fullApplied = n;
    changed();
  }

  /** Re-reads everything; resolves once a full read started at or after this call has been applied. */
  function all() {
    if (!fullRead) {
      fullRead = readEverything().finally(() => { fullRead = null; });
      return fullRead;
    }
    if (!queuedFullRead) {
      queuedFullRead = fullRead.catch(() => {}).then(() => { queuedFullRead = null; return all(); });
    }
    return queuedFullRead;
  }

  async function vm(name) {
    const n = ++started;
    const v = await get(`/api/v1/vms/${encodeURIComponent(name)}`)
      .catch((e) => { if (e instanceof ApiError && e.status === 404) return null; throw e; });
    if (fullApplied > n || (vmApplied.get(name) || 0) > n) return;
    vmApplied.set(name, n);
    const rest = state.vms.filter((x) => x.name !== name);
    state.vms = v ? [...rest, v] : rest;
    changed();
  }

  async function tasks() {
    const n = ++started;
    const t = await get('/api/v1/tasks?limit=100');
    if (tasksApplied > n) return;
    tasksApplied = n;
    state.tasks = t;
    changed();
  }

  async function hosts() {
    if (!admin()) return;
    const n = ++started;
    const h = await get('/api/v1/hosts');
    if (hostsApplied > n) return;
    hostsApplied = n;
    state.hosts = h;
    changed();
  }

  /**
   * Shows a vm.state event's facts on the VM it names, as an answer numbered now: an older read still in flight is
   * then not applied over it, and the read the event also starts (numbered later) brings the VM's other fields.
   */
  function facts(name, data) {
    const n = ++started;
    const i = state.vms.findIndex((x) => x.name === name);
    if (i < 0) return false; // a VM not listed yet comes with the read the event starts
    vmApplied.set(name, n);
    state.vms[i] = { ...state.vms[i], state: data.state, host: data.host ?? null, state_detail: data.state_detail ?? null };
    return true;
  }

  /** Reads what the events of one chunk of the stream marked. */
  function flush() {
    const m = marks;
    marks = null;
    if (m.shown) changed();
    const quiet = (p) => p.catch(() => {}); // a failed read is retried by the next event or the periodic read
    if (m.all || m.vms.size > MAX_SINGLE_READS) { quiet(all()); return; }
    if (m.hosts) quiet(hosts());
    if (m.tasks) quiet(tasks());
    for (const name of m.vms) quiet(vm(name));
  }

  /** Marks what an event is about; the marks of the events parsed together are read in one go, right after. */
  function event(e) {
    if (!marks) {
      marks = { all: false, hosts: false, tasks: false, shown: false, vms: new Set() };
      queueMicrotask(flush);
    }
    const kind = e.type.split('.')[0];
    if (e.type === 'vm.state' && e.subject && e.data && e.data.state && facts(e.subject, e.data)) marks.shown = true;
    if ((kind === 'vm' || kind === 'task') && e.subject) {
      marks.vms.add(e.subject);
      if (kind === 'task') marks.tasks = true;
    } else if (kind === 'host') {
      marks.hosts = true;
    } else {
      marks.all = true;
    }
  }

  /** Forgets every read's number (after sign-out the state starts empty). */
  function reset() {
    vmApplied.clear();
    fullApplied = hostsApplied = tasksApplied = started;
  }

  return { all, vm, tasks, hosts, event, reset };
}
