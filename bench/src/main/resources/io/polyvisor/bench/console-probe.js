// Installed into the console's page by `polyvisor bench console` (never served by the product). Defines window.__bench.
// A time "after a DOM change" is taken in the MutationObserver callback that sees the awaited state, after forcing
// style and layout (reading offsetHeight): it includes laying the change out, not painting it. wall() is this
// machine's clock in ms (comparable with the server's event times); performance.now() is the page's own clock.
(() => {
  const wall = (t) => performance.timeOrigin + t;
  const laidOut = () => document.body.offsetHeight;
  /** Resolves with performance.now() at the first DOM change after which test() holds. */
  const after = (test) => new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (!test()) return;
      laidOut();
      obs.disconnect();
      resolve(performance.now());
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const text = (selector) => { const e = document.querySelector(selector); return e ? e.textContent : null; };
  const B = { sse: {}, pending: null };
  window.__bench = B;

  /** Floor of the first render: fetching and parsing the same VM list in this page, ms. */
  B.fetchParse = async () => {
    const t0 = performance.now();
    const res = await fetch('/api/v1/vms', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const list = await res.json();
    const ms = performance.now() - t0;
    B.names = list.map((v) => v.name);
    return ms;
  };

  /** Types term into the VM search (as one input event) and resolves with the ms until the list shows expected rows. */
  B.filter = async (term, expected, total) => {
    const search = document.getElementById('vm-search');
    const shown = after(() => text('#vm-count') === `${expected} of ${total}`);
    const t0 = performance.now();
    search.value = term;
    search.dispatchEvent(new Event('input', { bubbles: true }));
    return (await shown) - t0;
  };

  /** Floor of a filter: the same filter and sort over the names alone, no DOM, ms. */
  B.filterFloor = (term) => {
    const t0 = performance.now();
    const shown = B.names.filter((n) => n.toLowerCase().includes(term)).sort();
    return [performance.now() - t0, shown.length];
  };

  /** Arms B.pending: resolves with the wall time at which VM vm's row shows state. */
  B.watchRow = (vm, state) => {
    B.pending = after(() => text(`#vm-rows tr[data-vm="${vm}"] td[data-field=state]`) === state).then(wall);
  };

  /** Follows the event stream beside the console's own, noting each event's arrival (wall ms) by seq. */
  B.follow = async (afterSeq) => {
    const res = await fetch(`/api/v1/events/stream?after=${afterSeq}`, { headers: { Accept: 'text/event-stream' }, credentials: 'same-origin' });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = wall(performance.now());
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        buffer = buffer.slice(end + 2);
        if (data) B.sse[JSON.parse(data).seq] = at;
      }
    }
  };

  /** Notes the time of each key pressed in the page (the event's own timestamp). */
  B.keys = () => document.addEventListener('keydown', (e) => { B.keyAt = e.timeStamp; }, true);

  /** Arms B.pending: resolves with the ms from the last key press until the terminal shows expect. */
  B.watchTerminal = (expect) => {
    B.pending = after(() => (text('#serial-terminal .xterm-rows') || '').includes(expect)).then((t) => t - B.keyAt);
  };

  /**
   * Floor of the echo: n round trips on a raw WebSocket to the same console (send one letter, wait for it to come
   * back), after letting what the server sends on joining arrive. Resolves with the ms of each.
   */
  B.socketRoundTrips = (vm, n) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${location.host}/api/v1/vms/${encodeURIComponent(vm)}/serial`);
    ws.binaryType = 'arraybuffer';
    const decoder = new TextDecoder();
    const times = [];
    let t0 = 0;
    let want = '';
    let got = '';
    const next = () => {
      if (times.length === n) { ws.close(); resolve(times); return; }
      want = String.fromCharCode(97 + (times.length % 26));
      got = '';
      t0 = performance.now();
      ws.send(want);
    };
    ws.onopen = () => setTimeout(next, 300);
    ws.onmessage = (e) => {
      if (typeof e.data === 'string' || t0 === 0) return;
      got += decoder.decode(e.data);
      if (!got.includes(want)) return;
      times.push(performance.now() - t0);
      t0 = 0;
      setTimeout(next, 20);
    };
    ws.onclose = (e) => { if (times.length < n) reject(new Error(`console closed: ${e.code} ${e.reason}`)); };
  });
})();
