// A VM's graphical display: noVNC (vendor/novnc.mjs, bundled from npm by scripts/console-deps) over the WebSocket
// /api/v1/vms/NAME/vnc, which carries RFB to the VM's VNC display through the server. Each viewer is its own VNC
// client, so several watch at once. Drawn for VMs created with display vnc. A role that may not operate VMs gets it
// view only: noVNC sends no input and the page says so, and the server drops a viewer's input whatever the page sends.
import { h } from './dom.js';

/** noVNC, imported when a display is first opened (the console's first page does not wait for it). */
const novnc = () => import('./vendor/novnc.mjs');

/** viewOnly: the caller's role may watch the display, not type or point on it. */
export function displayScreen(root, vmName, viewOnly) {
  const status = h('p', { id: 'display-status', role: 'status' }, 'connecting…');
  const screen = h('div', { class: 'display', id: 'display-screen', 'aria-label': `display of ${vmName}${viewOnly ? ', view only' : ''}` });
  const cad = viewOnly ? null : h('button', { type: 'button', disabled: true }, 'Send Ctrl+Alt+Del');
  root.append(h('h2', {}, 'Display', viewOnly ? h('span', { class: 'badge', id: 'display-view-only' }, 'view only') : null),
    h('p', { class: 'muted' }, viewOnly ? 'View only: your role may watch the screen, not type or point on it; it is scaled to fit.'
      : 'Click the screen to give it the keyboard; it is scaled to fit.'), status, screen, cad ? h('p', {}, cad) : null);
  let closed = false;
  let rfb = null;
  novnc().then(({ default: RFB }) => {
    if (closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    rfb = new RFB(screen, `${scheme}://${location.host}/api/v1/vms/${encodeURIComponent(vmName)}/vnc`, { shared: true });
    rfb.scaleViewport = true;
    rfb.viewOnly = !!viewOnly;
    rfb.addEventListener('connect', () => { status.textContent = 'connected'; if (cad) cad.disabled = false; });
    rfb.addEventListener('disconnect', (e) => {
      status.textContent = e.detail.clean ? 'closed' : 'closed: the connection was lost or refused';
      if (cad) cad.disabled = true;
    });
    if (cad) cad.addEventListener('click', () => rfb.sendCtrlAltDel());
  }, (e) => { status.textContent = `display failed to load: ${e.message}`; });
  return {
    close() { closed = true; if (rfb) rfb.disconnect(); },
  };
}
