// Fleet overview: per-node hit rate, L1 memory and request rate, with live uPlot charts of the last minutes.
// Numbers come from each node's status JSON (polled a few nodes at a time, never overlapping polls).

import {h, replace, card, table, usageBar, formatBytes, formatCount, formatPercent, hitClass, loading} from './dom.js';
import {nodeRequest, parseJson, mapLimited, describeFailure} from './api.js';

const HISTORY_POINTS = 120;          // 10 minutes at the 5 s poll
const POLL_CONCURRENCY = 4;
const STATUS_TIMEOUT_MS = 4000;
const MAX_CHART_SERIES = 10;
const CHART_HEIGHT = 200;
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];

/** The status path each node answered last (newest MP: 'status'; older: 'api/status'). */
const statusPathByNode = new Map();

/** Fetches a node's status JSON: '/status' first, then '/api/status'. Resolves to {ok, json, res}. */
export async function fetchStatus(name, timeoutMs) {
  const known = statusPathByNode.get(name);
  const order = known === 'api/status' ? ['api/status', 'status'] : ['status', 'api/status'];
  let last = null;
  for (const path of order) {
    const res = await nodeRequest(name, path, {timeoutMs: timeoutMs || STATUS_TIMEOUT_MS, accept: 'application/json'});
    last = res;
    if (res.ok) {
      const parsed = parseJson(res.text);
      if (parsed.ok && parsed.value && typeof parsed.value === 'object') {
        statusPathByNode.set(name, path);
        return {ok: true, json: parsed.value, res};
      }
    }
    if (res.status === 0) break; // unreachable or timed out: the other path will not fare better
  }
  return {ok: false, json: null, res: last};
}

/** L1 numbers under either naming the MP servers have used (memory_*_bytes, or capacity/used). */
export function l1Of(status) {
  const l1 = (status && status.storage_manager && status.storage_manager.l1_manager) || {};
  const total = Number(l1.memory_total_bytes ?? l1.capacity ?? 0) || 0;
  const used = Number(l1.memory_used_bytes ?? l1.used ?? 0) || 0;
  return {total, used, objects: Number(l1.total_object_count ?? 0) || 0};
}

/** Sums the samples of one family for one node (several label sets, e.g. workers, add up). */
function sum(samples, name) {
  let total = null;
  for (const s of samples) {
    if (s.name === name && Number.isFinite(s.value)) total = (total || 0) + s.value;
  }
  return total;
}

function mean(samples, name) {
  let total = 0, n = 0;
  for (const s of samples) {
    if (s.name === name && Number.isFinite(s.value)) { total += s.value; n++; }
  }
  return n ? total / n : null;
}

/** The fleet numbers of a node from its LMCache samples in the gateway's /metrics, or null if it exposes none. */
export function numbersFromMetrics(samples) {
  if (!samples || !samples.length) return null;
  const l1Used = sum(samples, 'lmcache:local_cache_usage');
  const l1Total = sum(samples, 'lmcache:local_cache_capacity');
  const requests = sum(samples, 'lmcache:num_retrieve_requests_total');
  if (l1Used === null && requests === null) return null;
  return {
    source: 'metrics',
    hitRate: mean(samples, 'lmcache:retrieve_hit_rate'),
    l1Used: l1Used || 0,
    l1Total: l1Total || 0,
    objects: sum(samples, 'lmcache:local_storage_usage'),
    requests,
    requestedTokens: sum(samples, 'lmcache:num_requested_tokens_total'),
    hitTokens: sum(samples, 'lmcache:num_hit_tokens_total'),
  };
}

/** The same numbers from a node's status JSON (hit_stats and the L1 manager). */
export function numbersFromStatus(s) {
  const hs = s.hit_stats || {};
  const l1 = l1Of(s);
  const num = v => (Number.isFinite(Number(v)) && v !== null && v !== undefined ? Number(v) : null);
  return {
    source: 'status',
    hitRate: num(hs.hit_rate),
    l1Used: l1.used,
    l1Total: l1.total,
    objects: l1.objects,
    requests: num(hs.total_requests),
    requestedTokens: num(hs.total_tokens),
    hitTokens: num(hs.total_retrieved_tokens),
  };
}

export class Fleet {
  constructor(app) {
    this.app = app;
    this.summaryEl = document.getElementById('fleet-summary');
    this.chartsEl = document.getElementById('fleet-charts');
    this.legendEl = document.getElementById('fleet-legend');
    this.tableEl = document.getElementById('fleet-table');
    this.updatedEl = document.getElementById('fleet-updated');
    this.ticks = [];               // [{t: seconds, values: Map(name -> {hit, l1, rps})}]
    this.latest = new Map();       // name -> {ok, hit, l1Used, l1Total, objects, requests, rps} or {ok: false, error}
    this.lastCounters = new Map(); // name -> {t, requests, requestedTokens, hitTokens}
    this.charts = [];
    this.chartKey = '';
    this.polling = false;
    replace(this.tableEl, loading('Waiting for nodes…'));
    this.resizeObserver = new ResizeObserver(() => this.resizeCharts());
  }

  /**
   * One poll: numbers come from the gateway's merged /metrics (already fetched by the app, one request for the
   * whole fleet); only nodes without LMCache samples there are asked for their status JSON, a few at a time.
   * Skipped while the previous poll is still running, so a slow node never stacks requests up.
   */
  async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      const leaves = this.app.leaves;
      const now = Date.now() / 1000;
      const fromMetrics = leaves.map(leaf => numbersFromMetrics(this.app.metricsByNode.get(leaf.name)));
      const missing = leaves.filter((leaf, i) => !fromMetrics[i]);
      const statuses = await mapLimited(missing, POLL_CONCURRENCY, leaf => fetchStatus(leaf.name));
      const statusByName = new Map(missing.map((leaf, i) => [leaf.name, statuses[i]]));
      const values = new Map();
      this.latest = new Map();
      leaves.forEach((leaf, i) => {
        let numbers = fromMetrics[i];
        if (!numbers) {
          const r = statusByName.get(leaf.name);
          if (!r || !r.ok) {
            this.latest.set(leaf.name, {ok: false, error: r && r.res ? describeFailure(r.res) : 'no data'});
            return;
          }
          numbers = numbersFromStatus(r.json);
        }
        const prev = this.lastCounters.get(leaf.name);
        let rps = null;
        let windowHit = null;
        if (numbers.requests !== null) {
          if (prev && now > prev.t && numbers.requests >= prev.requests) {
            rps = (numbers.requests - prev.requests) / (now - prev.t);
            const dReq = numbers.requestedTokens - prev.requestedTokens;
            const dHit = numbers.hitTokens - prev.hitTokens;
            if (Number.isFinite(dReq) && Number.isFinite(dHit) && dReq > 0 && dHit >= 0) windowHit = dHit / dReq;
          }
          this.lastCounters.set(leaf.name, {t: now, requests: numbers.requests,
            requestedTokens: numbers.requestedTokens, hitTokens: numbers.hitTokens});
        }
        const hit = windowHit !== null ? windowHit : numbers.hitRate;
        const record = {ok: true, ...numbers, hit, rps};
        this.latest.set(leaf.name, record);
        values.set(leaf.name, {
          hit: hit === null ? null : hit * 100,
          l1: numbers.l1Total > 0 || numbers.l1Used > 0 ? numbers.l1Used : null,
          rps,
        });
      });
      this.ticks.push({t: now, values});
      if (this.ticks.length > HISTORY_POINTS) this.ticks.shift();
      this.updatedEl.textContent = 'Updated ' + new Date().toLocaleTimeString();
      this.render();
    } finally {
      this.polling = false;
    }
  }

  render() {
    const leaves = this.app.leaves;
    this.renderSummary(leaves);
    this.renderTable(leaves);
    this.renderCharts(leaves);
  }

  renderSummary(leaves) {
    let up = 0, stale = 0, down = 0, used = 0, total = 0, hitSum = 0, hitN = 0, rps = 0;
    for (const leaf of leaves) {
      const st = this.app.nodeState(leaf);
      if (st === 'up') up++; else if (st === 'stale') stale++; else if (st === 'down') down++;
      const r = this.latest.get(leaf.name);
      if (!r || !r.ok) continue;
      used += r.l1Used; total += r.l1Total;
      if (r.hit !== null) { hitSum += r.hit; hitN++; }
      if (r.rps !== null) rps += r.rps;
    }
    const meanHit = hitN ? hitSum / hitN : null;
    replace(this.summaryEl,
      card('Nodes', String(leaves.length), up + ' up · ' + stale + ' stale · ' + down + ' down'),
      card('Mean hit rate', formatPercent(meanHit), hitN + ' node(s) reporting', {valueClass: hitClass(meanHit)}),
      card('L1 memory', formatBytes(used), 'of ' + formatBytes(total) + (total ? ' · ' + (used / total * 100).toFixed(1) + '% used' : ''),
        {extra: usageBar(total ? used / total : 0)}),
      card('Requests / s', rps.toFixed(1), 'retrieve requests across the fleet'));
  }

  renderTable(leaves) {
    if (!leaves.length) {
      replace(this.tableEl, h('div', {class: 'muted'}, 'No nodes registered yet. MP servers appear here once their agent sends a heartbeat.'));
      return;
    }
    const rows = leaves.map(leaf => {
      const r = this.latest.get(leaf.name);
      const st = this.app.nodeState(leaf);
      const statusCell = h('span', {class: 'row'}, h('span', {class: 'dot ' + st}), st);
      const open = () => this.app.selectNode(leaf.name);
      if (!r || !r.ok) {
        return {cells: [leaf.name, leaf.host + ':' + leaf.port, statusCell,
          h('span', {class: 'muted'}, r ? r.error : 'waiting…'), '—', '—', '—', '—'], onclick: open};
      }
      const frac = r.l1Total ? r.l1Used / r.l1Total : 0;
      return {
        cells: [
          leaf.name, leaf.host + ':' + leaf.port, statusCell,
          h('span', {class: hitClass(r.hit)}, formatPercent(r.hit)),
          h('span', {class: 'row'}, usageBar(frac, true), formatBytes(r.l1Used) + ' / ' + formatBytes(r.l1Total)),
          r.rps === null ? '—' : r.rps.toFixed(1),
          r.requests === null ? '—' : formatCount(r.requests),
          r.objects === null ? '—' : formatCount(r.objects),
        ],
        onclick: open,
      };
    });
    replace(this.tableEl, table(['Node', 'Address', 'Status', 'Hit rate', 'L1 memory', 'Req/s', 'Requests', 'Objects'],
      rows, {numeric: [3, 5, 6, 7]}));
  }

  renderCharts(leaves) {
    if (typeof window.uPlot !== 'function') return; // the vendor script is deferred; the next poll draws
    const names = leaves.map(l => l.name).slice(0, MAX_CHART_SERIES);
    const key = names.join('\u0000') + '|' + document.documentElement.dataset.theme;
    if (key !== this.chartKey) {
      this.destroyCharts();
      this.chartKey = key;
      this.createCharts(names, leaves.length);
    }
    const xs = this.ticks.map(t => t.t);
    for (const chart of this.charts) {
      const data = [xs];
      for (const name of names) {
        data.push(this.ticks.map(t => {
          const v = t.values.get(name);
          return v && v[chart.field] !== null && v[chart.field] !== undefined ? v[chart.field] : null;
        }));
      }
      chart.plot.setData(data);
    }
  }

  createCharts(names, total) {
    const css = getComputedStyle(document.documentElement);
    const axisColor = css.getPropertyValue('--muted').trim() || '#6b7280';
    const gridColor = css.getPropertyValue('--border').trim() || '#e2e5ea';
    const specs = [
      {field: 'hit', title: 'Hit rate', fmt: v => v.toFixed(0) + '%'},
      {field: 'l1', title: 'L1 memory used', fmt: v => formatBytes(v)},
      {field: 'rps', title: 'Requests per second', fmt: v => (v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1))},
    ];
    replace(this.chartsEl);
    replace(this.legendEl, names.map((name, i) => {
      const swatch = h('span', {class: 'swatch'});
      swatch.style.background = PALETTE[i % PALETTE.length];
      return h('span', {class: 'legend-item', title: name}, swatch, h('span', {class: 'label'}, name));
    }), total > names.length ? h('span', {class: 'muted small'}, '(charts show the first ' + names.length + ' of ' + total + ' nodes)') : null);
    const timeFormat = {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false};
    // Lay every chart box out first, so each plot is created at its final width.
    const bodies = specs.map(spec => {
      const body = h('div', {class: 'chart-body'});
      this.chartsEl.appendChild(h('div', {class: 'chart'}, h('h3', null, spec.title), body));
      return body;
    });
    specs.forEach((spec, index) => {
      const body = bodies[index];
      const opts = {
        width: Math.max(200, body.clientWidth || 320),
        height: CHART_HEIGHT,
        cursor: {drag: {x: false, y: false}},
        legend: {show: false},
        scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(max || 0, spec.field === 'hit' ? 100 : 1)]}},
        axes: [
          {stroke: axisColor, grid: {stroke: gridColor, width: 1}, ticks: {stroke: gridColor}, space: 70,
            values: (u, vals) => vals.map(v => new Date(v * 1000).toLocaleTimeString([], timeFormat))},
          {stroke: axisColor, grid: {stroke: gridColor, width: 1}, ticks: {stroke: gridColor}, size: 64,
            values: (u, vals) => vals.map(v => v === null ? '' : spec.fmt(v))},
        ],
        series: [{}].concat(names.map((name, i) => ({
          label: name, stroke: PALETTE[i % PALETTE.length], width: 1.6, spanGaps: true,
          points: {show: false},
        }))),
      };
      const empty = [[]].concat(names.map(() => []));
      const plot = new window.uPlot(opts, empty, body);
      this.charts.push({field: spec.field, plot, body});
      this.resizeObserver.observe(body);
    });
  }

  resizeCharts() {
    for (const chart of this.charts) {
      const width = chart.body.clientWidth;
      if (width > 0 && Math.abs(width - chart.plot.width) > 1) chart.plot.setSize({width, height: CHART_HEIGHT});
    }
  }

  destroyCharts() {
    for (const chart of this.charts) {
      this.resizeObserver.unobserve(chart.body);
      chart.plot.destroy();
    }
    this.charts = [];
    this.chartKey = '';
  }
}
