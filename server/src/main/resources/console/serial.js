// A VM's serial console: xterm.js (vendored from npm: vendor/xterm.mjs) over the WebSocket
// /api/v1/vms/NAME/serial. The server shares one console among every viewer (no viewer takes it from another) and
// sends what it printed lately first. What is typed or pasted is sent as text; roles that may not operate VMs get a
// read-only terminal (the server drops their input in any case).
import { h } from './dom.js';

/** xterm.js and its fit addon, imported when a terminal is first opened (the console's first page does not wait). */
const xterm = () => Promise.all([import('./vendor/xterm.mjs'), import('./vendor/addon-fit.mjs')]);

export function serialTerminal(root, vmName, canType) {
  const status = h('p', { id: 'serial-status', role: 'status' }, 'connecting…');
  const box = h('div', { class: 'terminal', id: 'serial-terminal' });
  root.append(h('h2', {}, 'Serial console'),
    h('p', { class: 'muted' }, canType ? 'Click the terminal and type; paste works.' : 'Read-only: your role may watch, not type.'),
    status, box);
  let closed = false;
  let ws = null;
  let term = null;
  xterm().then(([{ Terminal }, { FitAddon }]) => {
    if (closed) return;
    term = new Terminal({ disableStdin: !canType, fontSize: 14, rows: 24, cols: 100, scrollback: 2000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box);
    try { fit.fit(); } catch (e) { /* a hidden box has no size: keep 100x24 */ }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${scheme}://${location.host}/api/v1/vms/${encodeURIComponent(vmName)}/serial`);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { status.textContent = 'connected'; };
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') status.textContent = JSON.parse(e.data).notice || status.textContent;
      else term.write(new Uint8Array(e.data));
    };
    ws.onclose = (e) => { status.textContent = `closed${e.reason ? `: ${e.reason}` : ''}`; };
    if (canType) term.onData((data) => { if (ws.readyState === WebSocket.OPEN) ws.send(data); });
  }, (e) => { status.textContent = `terminal failed to load: ${e.message}`; });
  return {
    close() { closed = true; if (ws) ws.close(); if (term) term.dispose(); },
  };
}
