// Runs in every new document before the console's own scripts (polyvisor bench console): on a load of #/vms, notes
// performance.now() (ms since navigation start) when the VM list first shows all __WANT__ VMs, after layout.
if (location.hash === '#/vms') {
  const want = `__WANT__ of __WANT__`;
  const obs = new MutationObserver(() => {
    const count = document.getElementById('vm-count');
    if (!count || count.textContent !== want) return;
    document.body.offsetHeight;
    window.__firstRender = performance.now();
    obs.disconnect();
  });
  obs.observe(document, { subtree: true, childList: true, characterData: true });
}
