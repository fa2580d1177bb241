// DOM helpers. Untrusted text (node names, hosts, values) only ever becomes a text node: nothing here touches
// the HTML parser, and attributes are limited to a fixed set that cannot run script.

const SAFE_ATTRS = new Set(['class', 'title', 'type', 'role', 'placeholder', 'value', 'for', 'id', 'aria-label',
  'aria-expanded', 'aria-selected', 'data-tab', 'data-node', 'data-slot', 'aria-live', 'colspan', 'autocomplete']);

/** h('div', {class: 'x'}, 'text', child, [more]) builds an element; strings become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'onclick' || key === 'oninput' || key === 'onchange' || key === 'onsubmit') {
        el.addEventListener(key.slice(2), value);
      } else if (SAFE_ATTRS.has(key)) {
        el.setAttribute(key, String(value));
      } else {
        throw new Error('attribute not allowed: ' + key);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function loading(text) {
  return h('div', {class: 'loading'}, text || 'Loading…');
}

export function errorBox(text) {
  return h('div', {class: 'error'}, text);
}

export function formatBytes(bytes) {
  const n = Number(bytes) || 0;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)) + ' ' + units[i];
}

export function formatCount(n) {
  const v = Number(n) || 0;
  if (Math.abs(v) >= 1e9) return (v / 1e9).toFixed(2) + 'B';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (Math.abs(v) >= 1e3) return (v / 1e3).toFixed(1) + 'K';
  return String(Math.round(v * 100) / 100);
}

export function formatPercent(fraction) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return 'N/A';
  return (fraction * 100).toFixed(1) + '%';
}

/** A usage bar: green, amber above 70 %, red above 90 % (the original's thresholds). */
export function usageBar(fraction, inline) {
  const f = Math.max(0, Math.min(1, Number(fraction) || 0));
  const fill = h('span');
  fill.style.width = (f * 100).toFixed(1) + '%';
  const cls = 'bar' + (inline ? ' inline' : '') + (f > 0.9 ? ' bad' : f > 0.7 ? ' warn' : '');
  return h('div', {class: cls, title: (f * 100).toFixed(1) + '%'}, fill);
}

/** Hit rate colour class: green at 80 % or more, amber at 50 % or more. */
export function hitClass(rate) {
  if (rate === null || rate === undefined) return '';
  return rate >= 0.8 ? 'ok-text' : rate >= 0.5 ? 'warn-text' : 'bad-text';
}

export function card(title, value, sub, opts) {
  const o = opts || {};
  return h('div', {class: 'card' + (o.wide ? ' wide' : '')},
    h('div', {class: 'card-title'}, title),
    value instanceof Node ? value : h('div', {class: 'card-value' + (o.valueClass ? ' ' + o.valueClass : '')}, value),
    sub === undefined || sub === null ? null : (sub instanceof Node ? sub : h('div', {class: 'card-sub'}, sub)),
    o.extra || null);
}

/** A definition list of [label, value] pairs. */
export function kv(pairs) {
  const dl = h('dl', {class: 'kv'});
  for (const [k, v] of pairs) {
    dl.appendChild(h('dt', null, k));
    dl.appendChild(h('dd', null, v));
  }
  return dl;
}

/** A table; rows are arrays of cells (strings or nodes); numeric columns named in opts.numeric align right. */
export function table(headers, rows, opts) {
  const o = opts || {};
  const numeric = new Set(o.numeric || []);
  const thead = h('thead', null, h('tr', null, headers.map((t, i) => h('th', {class: numeric.has(i) ? 'num' : null}, t))));
  const tbody = h('tbody');
  for (const row of rows) {
    const tr = h('tr', null, row.cells.map((c, i) => h('td', {class: numeric.has(i) ? 'num' : null}, c)));
    if (row.onclick) {
      tr.className = 'clickable';
      tr.addEventListener('click', row.onclick);
    }
    tbody.appendChild(tr);
  }
  return h('table', null, thead, tbody);
}
