// Charts of measured CPU and memory over the last hour, from GET .../history (10 s steps), drawn with uPlot
// (vendored from npm: vendor/uPlot.esm.js). Each chart is a figure with a text caption giving the latest values,
// so what the canvas shows is also readable without it. uPlot is imported when a chart is first drawn, so the
// console's first page does not wait for it.
import { get } from './api.js';
import { h, size } from './dom.js';

const HEIGHT = 180;
/** The history has one sample per 10 s: reading it more often than this shows nothing new. */
const RELOAD_MS = 5_000;

/**
 * Mounts a CPU and a memory chart for the series at path (e.g. /api/v1/hosts/h1/history) into root.
 * cpuMax: the CPU axis top in cores (the host's or VM's CPUs). Returns { reload(), close() }.
 */
export function usageCharts(root, path, label, cpuMax) {
  const cpuBox = h('div', { class: 'chart-canvas' });
  const memBox = h('div', { class: 'chart-canvas' });
  const cpuCaption = h('figcaption', {});
  const memCaption = h('figcaption', {});
  const cpuFigure = h('figure', { class: 'chart', 'data-chart': 'cpu', 'data-samples': 0 }, cpuCaption, cpuBox);
  const memFigure = h('figure', { class: 'chart', 'data-chart': 'memory', 'data-samples': 0 }, memCaption, memBox);
  root.append(h('div', { class: 'charts' }, cpuFigure, memFigure));
  let cpuPlot = null;
  let memPlot = null;
  let closed = false;

  function options(title, unit, max, format) {
    return {
      width: Math.max(280, Math.floor((root.clientWidth || 800) / 2) - 48), height: HEIGHT,
      legend: { show: false },
      scales: { x: { time: true }, y: { range: [0, max] } },
      axes: [{}, { values: (u, ticks) => ticks.map(format), size: 84 }],
      series: [{}, { label: `${title} (${unit})`, stroke: '#2457c5', fill: 'rgba(36,87,197,0.12)', width: 1.5 }],
    };
  }

  async function reload() {
    const history = await get(path);
    if (closed) return;
    const xs = history.samples.map((s) => Date.parse(s.at) / 1000);
    const cpu = history.samples.map((s) => s.cpu_cores);
    const mem = history.samples.map((s) => s.memory_bytes);
    const memMax = Math.max(1, ...mem) * 1.2;
    if (!cpuPlot) {
      const { default: uPlot } = await import('./vendor/uPlot.esm.js');
      if (closed) return;
      cpuPlot = new uPlot(options('CPU', 'cores', cpuMax, (v) => `${+v.toFixed(2)}`), [xs, cpu], cpuBox);
      memPlot = new uPlot(options('Memory', 'bytes', memMax, (v) => size(Math.round(v))), [xs, mem], memBox);
    } else {
      cpuPlot.setData([xs, cpu]);
      memPlot.setScale('y', { min: 0, max: memMax });
      memPlot.setData([xs, mem]);
    }
    const n = history.samples.length;
    const last = n ? history.samples[n - 1] : null;
    cpuFigure.setAttribute('data-samples', n);
    memFigure.setAttribute('data-samples', n);
    cpuCaption.textContent = `${label} CPU, last hour: ${last ? `${+last.cpu_cores.toFixed(2)} of ${cpuMax} cores now` : 'no measurement yet'}`;
    memCaption.textContent = `${label} memory, last hour: ${last ? `${size(last.memory_bytes)} now` : 'no measurement yet'}`;
  }

  let loaded = 0;
  return {
    /** Re-reads the history unless it was read less than a step ago (update() runs on every event). */
    reload() {
      if (Date.now() - loaded < RELOAD_MS) return Promise.resolve();
      loaded = Date.now();
      return reload();
    },
    close() { closed = true; if (cpuPlot) { cpuPlot.destroy(); memPlot.destroy(); } },
  };
}
