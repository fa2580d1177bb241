// LMCache Dashboard: node tree, fleet overview and per-node tabs, all from the gateway's own origin.

import {h, replace} from './dom.js';
import {request, nodeRequest, parseJson, parsePrometheus, mapLimited, describeFailure} from './api.js';
import {Fleet} from './fleet.js';
import {NodeView} from './node.js';

const POLL_INTERVAL_MS = 5000;
const ENV_FILTER_CONCURRENCY = 4;
const QUICK_RETRIES = 10;
const QUICK_RETRY_MS = 1000;
const THEME_KEY = 'lmcache-dashboard-theme';

class App {
  constructor() {
    this.proxies = [];           // [{name, host, port, children: [leaf]}]
    this.leaves = [];            // [{name, host, port, proxy, state}]
    this.scrapeUp = new Map();   // leaf name -> 0 | 1, from the gateway's last /metrics
    this.metricsByNode = new Map(); // leaf name -> its samples in the gateway's last /metrics
    this.expanded = new Set();   // proxy names open in the tree
    this.seenProxies = new Set();
    this.selected = null;        // leaf name, or null for the fleet view
    this.envMatch = null;        // Set of leaf names matching the env filter, or null
    this.treeEl = document.getElementById('tree');
    this.searchEl = document.getElementById('node-search');
    this.fleet = new Fleet(this);
    this.nodeView = new NodeView(this);
    this.timer = null;
    this.quickRetries = 0;       // re-polls while the fleet is still empty (a gateway that just started)
  }

  start() {
    this.initTheme();
    this.searchEl.addEventListener('input', () => this.renderTree());
    document.getElementById('refresh-nodes').addEventListener('click', () => this.loadNodes());
    document.getElementById('refresh-page').addEventListener('click', () => this.refreshAll(false));
    document.getElementById('back-to-fleet').addEventListener('click', () => this.showFleet());
    document.getElementById('env-filter-form').addEventListener('submit', e => { e.preventDefault(); this.envFilter(); });
    document.getElementById('env-filter-clear').addEventListener('click', () => this.clearEnvFilter());
    const auto = document.getElementById('auto-refresh');
    auto.addEventListener('change', () => this.setAutoRefresh(auto.checked));
    window.addEventListener('load', () => this.fleet.render()); // uPlot is deferred: draw once it is there
    this.refreshAll(false);
    this.setAutoRefresh(auto.checked);
  }

  setAutoRefresh(on) {
    if (this.timer) clearInterval(this.timer);
    // A background tab does not poll: nobody is looking, and a fleet of open dashboards adds up.
    this.timer = on ? setInterval(() => { if (!document.hidden) this.refreshAll(true); }, POLL_INTERVAL_MS) : null;
  }

  async refreshAll(auto) {
    await Promise.all([this.loadNodes(), this.loadMetrics()]);
    this.renderTree();
    if (this.selected) this.nodeView.refresh(auto);
    await this.fleet.poll();
  }

  // ---- Data ----

  async loadNodes() {
    const res = await request('/api/nodes', {timeoutMs: 5000, accept: 'application/json'});
    const banner = document.getElementById('banner');
    if (!res.ok) {
      this.showBanner('Cannot load the node list: ' + describeFailure(res));
      return;
    }
    const parsed = parseJson(res.text);
    if (!parsed.ok || !parsed.value || !Array.isArray(parsed.value.nodes)) {
      this.showBanner('The node list is not in the expected shape.');
      return;
    }
    const body = parsed.value;
    if (body.last_error) {
      const age = Number.isFinite(Number(body.age_seconds)) ? ' (node list is ' + Math.round(body.age_seconds) + ' s old)' : '';
      this.showBanner('Node source error: ' + body.last_error + age);
    } else {
      banner.classList.add('hidden');
    }
    const proxies = [];
    const leaves = [];
    for (const p of body.nodes) {
      if (!p || typeof p !== 'object') continue;
      const children = [];
      for (const c of Array.isArray(p.children) ? p.children : []) {
        if (!c || typeof c.name !== 'string') continue;
        const leaf = {name: c.name, host: String(c.host ?? ''), port: String(c.port ?? ''),
          proxy: String(c.proxy_id ?? p.name ?? ''), state: typeof c.state === 'string' ? c.state : null};
        children.push(leaf);
        leaves.push(leaf);
      }
      const name = String(p.name ?? '');
      proxies.push({name, host: String(p.host ?? ''), port: String(p.port ?? ''), children});
      if (!this.seenProxies.has(name)) {
        this.seenProxies.add(name);
        this.expanded.add(name); // new proxies start open; the user's choice sticks afterwards
      }
    }
    this.proxies = proxies;
    this.leaves = leaves;
    if (leaves.length === 0 && this.quickRetries < QUICK_RETRIES) {
      // Nodes register within seconds of start; look again soon rather than a full poll interval later.
      this.quickRetries++;
      setTimeout(() => this.refreshAll(true), QUICK_RETRY_MS);
    }
    document.getElementById('node-count').textContent = String(leaves.length);
    document.getElementById('gateway-status').textContent = 'Nodes updated ' + new Date().toLocaleTimeString();
    this.renderTree();
  }

  /**
   * Reads the gateway's merged /metrics (one request for the whole fleet): lmcache_gateway_scrape_up{node} for the
   * status dots, and each node's samples (by their node label) for the fleet overview.
   */
  async loadMetrics() {
    const res = await request('/metrics', {timeoutMs: 8000, accept: 'text/plain'});
    if (!res.ok) {
      this.scrapeUp = new Map();
      this.metricsByNode = new Map();
      return;
    }
    const up = new Map();
    const byNode = new Map();
    for (const s of parsePrometheus(res.text)) {
      const node = s.labels.node;
      if (node === undefined) continue;
      if (s.name === 'lmcache_gateway_scrape_up') {
        up.set(node, s.value);
      } else if (s.name.startsWith('lmcache:')) {
        if (!byNode.has(node)) byNode.set(node, []);
        byNode.get(node).push(s);
      }
    }
    this.scrapeUp = up;
    this.metricsByNode = byNode;
  }

  /** up, stale, down or unknown: a failed last scrape means down; a heartbeat marked stale means stale. */
  nodeState(leaf) {
    const scrape = this.scrapeUp.get(leaf.name);
    if (scrape === 0) return 'down';
    if (leaf.state === 'stale') return 'stale';
    if (scrape === 1 || leaf.state === 'up') return 'up';
    return 'unknown';
  }

  showBanner(text) {
    const banner = document.getElementById('banner');
    banner.textContent = text;
    banner.classList.remove('hidden');
  }

  // ---- Tree ----

  /** Rebuilds the tree, unless nothing it shows has changed (a rebuild would steal focus and hover for nothing). */
  renderTree() {
    const q = this.searchEl.value.trim().toLowerCase();
    const signature = JSON.stringify([this.proxies, this.leaves.map(l => this.nodeState(l)), this.selected,
      Array.from(this.expanded), q, this.envMatch ? Array.from(this.envMatch) : null]);
    if (signature === this.treeSignature) return;
    this.treeSignature = signature;
    const matches = leaf => (!q || leaf.name.toLowerCase().includes(q) || (leaf.host + ':' + leaf.port).includes(q))
      && (!this.envMatch || this.envMatch.has(leaf.name));
    const items = [h('button', {class: 'tree-item' + (this.selected ? '' : ' selected'), type: 'button', id: 'tree-fleet',
      onclick: () => this.showFleet()}, h('span', {class: 'chevron'}, '◆'), h('span', {class: 'name'}, 'Fleet overview'))];
    let shown = 0;
    const leafButton = leaf => {
      shown++;
      const st = this.nodeState(leaf);
      return h('button', {class: 'tree-item leaf' + (this.selected === leaf.name ? ' selected' : ''), type: 'button',
        'data-node': leaf.name, title: leaf.name + ' (' + leaf.host + ':' + leaf.port + ') · ' + st,
        onclick: () => this.selectNode(leaf.name)},
      h('span', {class: 'dot ' + st, title: st}),
      h('span', {class: 'name'}, leaf.name),
      nameShowsAddress(leaf) ? null : h('span', {class: 'addr'}, leaf.host + ':' + leaf.port));
    };
    for (const proxy of this.proxies) {
      const children = proxy.children.filter(matches);
      if ((q || this.envMatch) && children.length === 0) continue;
      if (isSelfLeaf(proxy)) {
        // An MP server listed as its own single leaf: one row, nothing to expand.
        if (children.length) items.push(leafButton(children[0]));
        continue;
      }
      const open = this.expanded.has(proxy.name) || Boolean(q) || Boolean(this.envMatch);
      const states = proxy.children.map(c => this.nodeState(c));
      const proxyState = states.includes('down') ? 'down' : states.includes('stale') ? 'stale'
        : states.includes('up') ? 'up' : 'unknown';
      items.push(h('button', {class: 'tree-item proxy', type: 'button', 'data-node': proxy.name, 'aria-expanded': String(open),
        title: proxy.name + ' (' + proxy.host + ':' + proxy.port + ')', onclick: () => this.toggleProxy(proxy.name)},
      h('span', {class: 'chevron' + (open ? ' open' : '')}, '▸'),
      h('span', {class: 'dot ' + proxyState}),
      h('span', {class: 'name'}, proxy.name),
      h('span', {class: 'badge'}, String(children.length))));
      if (open) items.push(h('div', {class: 'tree-children', role: 'group'}, children.map(leafButton)));
    }
    if (this.proxies.length === 0) {
      items.push(h('div', {class: 'tree-empty'}, 'No nodes yet.'));
    } else if ((q || this.envMatch) && shown === 0) {
      items.push(h('div', {class: 'tree-empty'}, 'No matching nodes found.'));
    }
    replace(this.treeEl, items);
  }

  toggleProxy(name) {
    if (this.expanded.has(name)) this.expanded.delete(name); else this.expanded.add(name);
    this.renderTree();
  }

  selectNode(name) {
    const leaf = this.leaves.find(l => l.name === name);
    if (!leaf) return;
    this.selected = name;
    document.getElementById('fleet-view').classList.add('hidden');
    document.getElementById('node-view').classList.remove('hidden');
    this.renderTree();
    this.nodeView.show(leaf);
  }

  showFleet() {
    this.selected = null;
    this.nodeView.node = null;
    document.getElementById('node-view').classList.add('hidden');
    document.getElementById('fleet-view').classList.remove('hidden');
    this.renderTree();
    this.fleet.render();
  }

  // ---- Environment filter across nodes ----

  async envFilter() {
    const input = document.getElementById('env-filter').value.trim();
    const status = document.getElementById('env-filter-status');
    if (!input) {
      this.clearEnvFilter();
      return;
    }
    const eq = input.indexOf('=');
    const key = eq < 0 ? input : input.slice(0, eq);
    const value = eq < 0 ? null : input.slice(eq + 1);
    const leaves = this.leaves.slice();
    status.textContent = 'Checking ' + leaves.length + ' node(s)…';
    let failed = 0;
    const results = await mapLimited(leaves, ENV_FILTER_CONCURRENCY, async leaf => {
      const res = await nodeRequest(leaf.name, 'env', {timeoutMs: 5000});
      const parsed = res.ok ? parseJson(res.text) : {ok: false};
      if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') { failed++; return false; }
      if (!Object.prototype.hasOwnProperty.call(parsed.value, key)) return false;
      return value === null || String(parsed.value[key]) === value;
    });
    this.envMatch = new Set(leaves.filter((leaf, i) => results[i]).map(leaf => leaf.name));
    status.textContent = this.envMatch.size + ' of ' + leaves.length + ' node(s) match ' + input
      + (failed ? ' · ' + failed + ' could not be read' : '');
    this.renderTree();
  }

  clearEnvFilter() {
    this.envMatch = null;
    document.getElementById('env-filter').value = '';
    document.getElementById('env-filter-status').textContent = '';
    this.renderTree();
  }

  // ---- Theme ----

  initTheme() {
    let theme = null;
    try { theme = localStorage.getItem(THEME_KEY); } catch (e) { /* storage may be disabled */ }
    if (theme !== 'dark' && theme !== 'light') {
      theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    document.documentElement.dataset.theme = theme;
    document.getElementById('theme-toggle').addEventListener('click', () => {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset.theme = next;
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* ignore */ }
      this.fleet.render();
    });
  }
}

/** True when the name already spells the address (e.g. proxy_10.0.0.1_8080): the tree then shows it once. */
function nameShowsAddress(leaf) {
  return leaf.name.includes(leaf.host) && leaf.name.endsWith(leaf.port);
}

/** True for a proxy entry that is just one MP server listed as its own leaf (same name and address). */
function isSelfLeaf(proxy) {
  if (proxy.children.length !== 1) return false;
  const only = proxy.children[0];
  return only.name === proxy.name && only.host === proxy.host && only.port === proxy.port;
}

const app = new App();
window.lmcacheDashboard = app; // for debugging from the console
app.start();
