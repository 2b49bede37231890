// A VM's graphical display: noVNC (vendor/novnc.mjs, bundled from npm by scripts/console-deps) over the WebSocket
// /api/v1/vms/NAME/vnc, which carries RFB to the VM's VNC display through the server. Each viewer is its own VNC
// client, so several watch at once. Drawn only for VMs created with display vnc, for roles that may operate VMs (a
// display takes keyboard and mouse input; the server refuses other roles in any case).
import { h } from './dom.js';

/** noVNC, imported when a display is first opened (the console's first page does not wait for it). */
const novnc = () => import('./vendor/novnc.mjs');

export function displayScreen(root, vmName) {
  const status = h('p', { id: 'display-status', role: 'status' }, 'connecting…');
  const screen = h('div', { class: 'display', id: 'display-screen', 'aria-label': `display of ${vmName}` });
  const cad = h('button', { type: 'button', disabled: true }, 'Send Ctrl+Alt+Del');
  root.append(h('h2', {}, 'Display'),
    h('p', { class: 'muted' }, 'Click the screen to give it the keyboard; it is scaled to fit.'), status, screen, h('p', {}, cad));
  let closed = false;
  let rfb = null;
  novnc().then(({ default: RFB }) => {
    if (closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    rfb = new RFB(screen, `${scheme}://${location.host}/api/v1/vms/${encodeURIComponent(vmName)}/vnc`, { shared: true });
    rfb.scaleViewport = true;
    rfb.addEventListener('connect', () => { status.textContent = 'connected'; cad.disabled = false; });
    rfb.addEventListener('disconnect', (e) => {
      status.textContent = e.detail.clean ? 'closed' : 'closed: the connection was lost or refused';
      cad.disabled = true;
    });
    cad.addEventListener('click', () => rfb.sendCtrlAltDel());
  }, (e) => { status.textContent = `display failed to load: ${e.message}`; });
  return {
    close() { closed = true; if (rfb) rfb.disconnect(); },
  };
}
