// Builds DOM nodes without innerHTML: every text the API returns is set as text, never parsed as markup.

/** h('td', {class: 'num'}, 'text', child, ...): an element with attributes (on* keys become listeners) and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Children for append(): nested arrays flattened, false/null/undefined (a part left out) dropped. */
export function parts(...children) {
  return children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false);
}

/** Bytes as a short size: 268435456 -> "256 MiB". */
export function size(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** A share in [0, 1] as a whole percentage, or '' when unknown. */
export function percent(share) {
  return share === null || share === undefined || !Number.isFinite(share) ? '' : `${Math.round(share * 100)}%`;
}
