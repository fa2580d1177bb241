// One node's tabs: Overview (MP status cards), Metrics, Threads, Log Level, Config, Environment.
// Tabs whose endpoint the node does not serve (404) are hidden rather than showing an error.

import {h, replace, loading, errorBox, card, kv, table, usageBar, formatBytes, formatCount, formatPercent, hitClass} from './dom.js';
import {nodeRequest, parseJson, describeFailure, parsePrometheus, looksSecret} from './api.js';
import {fetchStatus, l1Of} from './fleet.js';

/** Tab → the node path probed to decide whether the tab is shown. Overview is always shown. */
const TAB_PATHS = {metrics: 'metrics', threads: 'threads', loglevel: 'loglevel', config: 'conf', env: 'env'};
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const MAX_TABLE_ROWS = 2000;

export class NodeView {
  constructor(app) {
    this.app = app;
    this.body = document.getElementById('tab-body');
    this.tabButtons = Array.from(document.querySelectorAll('#tabs .tab'));
    this.tab = 'overview';
    this.node = null;
    this.token = 0;
    for (const button of this.tabButtons) {
      button.addEventListener('click', () => this.openTab(button.dataset.tab));
    }
  }

  /** Shows `leaf`: probes which tabs it serves, then opens the current tab (Overview if hidden). */
  show(leaf) {
    const changed = !this.node || this.node.name !== leaf.name;
    this.node = leaf;
    document.getElementById('node-title').textContent = leaf.name;
    document.getElementById('node-subtitle').textContent =
      leaf.host + ':' + leaf.port + (leaf.proxy && leaf.proxy !== leaf.name ? ' · via ' + leaf.proxy : '');
    if (changed) {
      for (const button of this.tabButtons) button.classList.remove('hidden');
      this.probeTabs(leaf);
    }
    this.openTab(this.tab);
  }

  async probeTabs(leaf) {
    await Promise.all(Object.entries(TAB_PATHS).map(async ([tab, path]) => {
      const res = await nodeRequest(leaf.name, path, {timeoutMs: 5000});
      if (res.status === 404 && this.node && this.node.name === leaf.name) this.hideTab(tab);
    }));
  }

  hideTab(tab) {
    const button = this.tabButtons.find(b => b.dataset.tab === tab);
    if (button) button.classList.add('hidden');
    if (this.tab === tab) this.openTab('overview');
  }

  openTab(tab) {
    this.tab = tab;
    for (const button of this.tabButtons) {
      const active = button.dataset.tab === tab;
      button.classList.toggle('active', active);
      button.setAttribute('aria-selected', String(active));
    }
    this.refresh();
  }

  /** Re-renders the open tab. `auto` is true for the timer: then only the live Overview is reloaded. */
  refresh(auto) {
    if (!this.node) return;
    if (auto && this.tab !== 'overview') return;
    const token = ++this.token;
    const live = () => token === this.token;
    const renderers = {
      overview: () => this.overview(live, auto),
      metrics: () => this.metrics(live),
      threads: () => this.threads(live),
      loglevel: () => this.loglevel(live),
      config: () => this.config(live),
      env: () => this.env(live),
    };
    (renderers[this.tab] || renderers.overview)();
  }

  /** Fetches a node path for a tab: hides the tab on 404, shows the failure otherwise. Null on failure. */
  async load(path, tab, live, container) {
    const res = await nodeRequest(this.node.name, path);
    if (!live()) return null;
    if (res.status === 404 && tab) {
      this.hideTab(tab);
      return null;
    }
    if (!res.ok) {
      replace(container || this.body, errorBox(describeFailure(res)));
      return null;
    }
    return res;
  }

  // ---- Overview ----

  async overview(live, auto) {
    const name = this.node.name;
    if (!auto || !this.body.querySelector('.cards')) {
      const statusSlot = h('div', {class: 'cards'}, card('Status', loading()));
      const infoSlot = h('div', {class: 'cards'},
        card('Health check', h('div', {class: 'card-value', 'data-slot': 'health'}, loading())),
        card('Version', h('div', {class: 'card-value', 'data-slot': 'version'}, loading())));
      replace(this.body, statusSlot, infoSlot);
    }
    const [statusSlot, infoSlot] = this.body.children;
    // Each card loads on its own: a slow endpoint never holds up the others.
    this.healthCard(name, live, infoSlot.querySelector('[data-slot="health"]'));
    this.versionCard(name, live, infoSlot.querySelector('[data-slot="version"]'));
    const status = await fetchStatus(name);
    if (!live()) return;
    if (status.ok) {
      replace(statusSlot, ...mpCards(status.json));
    } else {
      replace(statusSlot,
        card('Node', this.node.name, this.node.host + ':' + this.node.port),
        card('Status', h('div', {class: 'card-value muted'}, 'Not available'),
          status.res ? describeFailure(status.res) : null));
    }
  }

  async healthCard(name, live, slot) {
    let res = await nodeRequest(name, 'healthcheck', {timeoutMs: 4000});
    if (res.status === 404) res = await nodeRequest(name, 'api/healthcheck', {timeoutMs: 4000});
    if (!live() || !slot.isConnected) return;
    const parsed = parseJson(res.text);
    const healthy = res.ok && parsed.ok && parsed.value && parsed.value.status === 'healthy';
    const reason = parsed.ok && parsed.value && parsed.value.reason;
    replace(slot, h('span', {class: healthy ? 'ok-text' : 'bad-text'}, healthy ? 'Healthy' : 'Unhealthy'),
      healthy ? null : h('div', {class: 'card-sub'}, reason || describeFailure(res)));
  }

  async versionCard(name, live, slot) {
    const res = await nodeRequest(name, 'version', {timeoutMs: 4000});
    if (!live() || !slot.isConnected) return;
    const parsed = parseJson(res.text);
    const text = res.ok ? (parsed.ok ? String(parsed.value) : res.text) : 'N/A';
    replace(slot, text);
  }

  // ---- Metrics ----

  async metrics(live) {
    replace(this.body, loading('Loading metrics…'));
    const res = await this.load('metrics', 'metrics', live);
    if (!res) return;
    const samples = parsePrometheus(res.text);
    const filter = h('input', {class: 'input', type: 'search', placeholder: 'Filter metrics (name or label)'});
    const count = h('span', {class: 'muted small'});
    const rawButton = h('button', {class: 'btn btn-small', type: 'button'}, 'Show raw text');
    const holder = h('div', {class: 'table-wrap'});
    let raw = false;
    const draw = () => {
      if (raw) {
        replace(holder, h('pre', {class: 'raw'}, res.text));
        count.textContent = '';
        return;
      }
      const q = filter.value.trim().toLowerCase();
      const matching = samples.filter(s => !q || s.name.toLowerCase().includes(q)
        || Object.entries(s.labels).some(([k, v]) => (k + '=' + v).toLowerCase().includes(q)));
      count.textContent = matching.length + ' of ' + samples.length + ' samples'
        + (matching.length > MAX_TABLE_ROWS ? ' (first ' + MAX_TABLE_ROWS + ' shown)' : '');
      replace(holder, table(['Metric', 'Labels', 'Value'], matching.slice(0, MAX_TABLE_ROWS).map(s => ({cells: [
        h('span', {class: 'mono'}, s.name),
        h('span', {class: 'mono muted'}, Object.entries(s.labels).map(([k, v]) => k + '="' + v + '"').join(', ')),
        h('span', {class: 'mono', title: String(s.value)}, formatSample(s.value)),
      ]})), {numeric: [2]}));
    };
    filter.addEventListener('input', draw);
    rawButton.addEventListener('click', () => {
      raw = !raw;
      rawButton.textContent = raw ? 'Show table' : 'Show raw text';
      filter.disabled = raw;
      draw();
    });
    replace(this.body, h('div', {class: 'panel'}, h('div', {class: 'toolbar'}, filter, rawButton, count), holder));
    draw();
  }

  // ---- Threads ----

  async threads(live) {
    replace(this.body, loading('Loading threads…'));
    const res = await this.load('threads', 'threads', live);
    if (!res) return;
    const parsed = parseJson(res.text);
    if (!parsed.ok || !Array.isArray(parsed.value)) {
      replace(this.body, h('div', {class: 'panel'}, h('pre', {class: 'raw'}, res.text)));
      return;
    }
    const threads = parsed.value;
    const filter = h('input', {class: 'input', type: 'search', placeholder: 'Filter threads'});
    const holder = h('div', {class: 'table-wrap'});
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      const rows = threads.filter(t => !q || JSON.stringify(t).toLowerCase().includes(q)).map(t => ({cells: [
        String(t.thread_id ?? ''), String(t.name ?? ''),
        h('span', {class: t.state === 'running' ? 'ok-text' : 'muted'}, String(t.state ?? '')),
        h('span', {class: 'mono'}, String(t.function_name ?? '')),
      ]}));
      replace(holder, table(['ID', 'Name', 'State', 'Function'], rows));
    };
    filter.addEventListener('input', draw);
    replace(this.body, h('div', {class: 'panel'},
      h('div', {class: 'toolbar'}, filter, h('span', {class: 'muted small'}, threads.length + ' threads')), holder));
    draw();
  }

  // ---- Log level ----

  async loglevel(live) {
    const output = h('pre', {class: 'raw'});
    const result = h('div', {class: 'small', 'aria-live': 'polite'});
    const logger = h('input', {class: 'input', type: 'text', placeholder: 'Logger name (e.g. lmcache)'});
    const level = h('select', {class: 'input', 'aria-label': 'Level'},
      h('option', {value: ''}, '(read current level)'), LOG_LEVELS.map(l => h('option', {value: l}, l)));
    const apply = h('button', {class: 'btn btn-primary', type: 'submit'}, 'Apply');
    const form = h('form', {class: 'toolbar'}, logger, level, apply);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = logger.value.trim();
      const lvl = level.value;
      if (lvl && !name) {
        replace(result, h('span', {class: 'bad-text'}, 'A logger name is needed to set a level.'));
        return;
      }
      let path = 'loglevel';
      if (name) path += '?logger_name=' + encodeURIComponent(name) + (lvl ? '&level=' + encodeURIComponent(lvl) : '');
      apply.disabled = true;
      const res = await nodeRequest(this.node.name, path);
      apply.disabled = false;
      if (!live()) return;
      replace(result, h('span', {class: res.ok ? 'ok-text' : 'bad-text'}, res.ok ? res.text : describeFailure(res)));
      if (res.ok && lvl) this.reloadLevels(live, output);
    });
    replace(this.body, h('div', {class: 'panel'}, h('h3', null, 'Get or set a logger level'), form, result),
      h('div', {class: 'panel'}, h('h3', null, 'Loggers and levels'), output));
    replace(output, loading());
    this.reloadLevels(live, output);
  }

  async reloadLevels(live, output) {
    const res = await this.load('loglevel', 'loglevel', live, output);
    if (res) replace(output, res.text);
  }

  // ---- Config ----

  async config(live) {
    replace(this.body, loading('Loading configuration…'));
    const res = await this.load('conf', 'config', live);
    if (!res) return;
    const parsed = parseJson(res.text);
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') {
      replace(this.body, h('div', {class: 'panel'}, h('pre', {class: 'raw'}, res.text)));
      return;
    }
    const sections = Object.entries(parsed.value).map(([section, value]) => {
      const details = h('details', {class: 'panel'},
        h('summary', null, h('strong', null, section)),
        h('pre', {class: 'raw'}, JSON.stringify(value, null, 2)));
      details.open = true;
      return details;
    });
    replace(this.body, h('div', {class: 'muted small toolbar'}, 'Read-only: the MP server reports its configuration but does not change it at run time.'),
      sections.length ? sections : h('div', {class: 'muted'}, 'Empty configuration.'));
  }

  // ---- Environment ----

  async env(live) {
    replace(this.body, loading('Loading environment…'));
    const res = await this.load('env', 'env', live);
    if (!res) return;
    const parsed = parseJson(res.text);
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      replace(this.body, h('div', {class: 'panel'}, h('pre', {class: 'raw'}, res.text)));
      return;
    }
    const entries = Object.entries(parsed.value).sort(([a], [b]) => a.localeCompare(b));
    const filter = h('input', {class: 'input', type: 'search', placeholder: 'Search variables (key or value)'});
    const count = h('span', {class: 'muted small'});
    const holder = h('div', {class: 'table-wrap'});
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      const rows = entries.filter(([k, v]) => !q || k.toLowerCase().includes(q)
        || (!looksSecret(k) && String(v).toLowerCase().includes(q)));
      count.textContent = rows.length + ' of ' + entries.length + ' variables';
      replace(holder, table(['Key', 'Value'], rows.map(([k, v]) => ({cells: [
        h('span', {class: 'mono'}, k), envValue(k, v),
      ]}))));
    };
    filter.addEventListener('input', draw);
    replace(this.body, h('div', {class: 'panel'}, h('div', {class: 'toolbar'}, filter, count), holder));
    draw();
  }
}

/** A sample value, shortened to 8 significant digits when fractional (the raw text keeps every digit). */
function formatSample(value) {
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(8)));
}

/** A value cell; secret-looking keys are masked until clicked. */
function envValue(key, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!looksSecret(key)) return h('span', {class: 'value'}, text);
  const button = h('button', {class: 'masked', type: 'button', title: 'Click to reveal'}, '••••••••');
  button.addEventListener('click', () => button.replaceWith(h('span', {class: 'value'}, text)));
  return button;
}

/** The MP overview cards of the original dashboard (§5.1), from a status JSON. */
export function mpCards(s) {
  const cards = [];
  const healthy = s.is_healthy === true;
  cards.push(card('Health', h('div', {class: 'card-value'},
    h('span', {class: 'row'}, h('span', {class: 'dot ' + (healthy ? 'up' : 'down')}), healthy ? 'Healthy' : 'Unhealthy'))));
  cards.push(card('Engine', String(s.engine_type ?? 'N/A')));
  cards.push(card('Chunk size', String(s.chunk_size ?? 0), 'tokens per chunk'));
  cards.push(card('Hash', String(s.hash_algorithm ?? 'N/A')));
  cards.push(card('Active sessions', String(s.active_sessions ?? 0),
    s.active_prefetch_jobs !== undefined ? s.active_prefetch_jobs + ' active prefetch jobs' : null));
  const gpus = Array.isArray(s.registered_gpu_ids) ? s.registered_gpu_ids : [];
  cards.push(card('GPUs', String(gpus.length), gpus.length ? 'IDs: ' + gpus.join(', ') : 'none registered'));

  const l1 = l1Of(s);
  const frac = l1.total ? l1.used / l1.total : 0;
  cards.push(card('L1 memory', formatBytes(l1.used) + ' / ' + formatBytes(l1.total),
    (frac * 100).toFixed(1) + '% used · ' + formatCount(l1.objects) + ' objects',
    {wide: true, extra: usageBar(frac), valueClass: frac > 0.9 ? 'bad-text' : frac > 0.7 ? 'warn-text' : ''}));

  const sm = s.storage_manager || {};
  const l2 = Array.isArray(sm.l2_adapters) ? sm.l2_adapters : [];
  cards.push(card('L2 adapters', String(sm.num_l2_adapters ?? l2.length),
    l2.length ? l2.map(a => typeof a === 'object' && a ? (a.type || a.name || JSON.stringify(a)) : String(a)).join(', ') : null));

  const prefetch = Array.isArray(s.prefetch_job_ids) ? s.prefetch_job_ids : [];
  const pending = Array.isArray(s.pending_request_ids) ? s.pending_request_ids : [];
  cards.push(card('Lookups & prefetch', h('div', null, kv([
    ['Pending lookups', String(s.pending_lookup_count ?? 0)],
    ['Next prefetch job', String(s.next_prefetch_job_id ?? 0)],
    ['Prefetch jobs', prefetch.length ? prefetch.slice(0, 5).join(', ') + (prefetch.length > 5 ? ' +' + (prefetch.length - 5) + ' more' : '') : 'none'],
    ['Pending requests', pending.length ? pending.slice(0, 3).join(', ') + (pending.length > 3 ? ' +' + (pending.length - 3) + ' more' : '') : 'none'],
  ])), null, {wide: true}));

  const pt = s.periodic_threads || {};
  if (Number(pt.total_count) > 0) {
    cards.push(card('Periodic threads', (pt.running_count ?? 0) + ' / ' + pt.total_count + ' running',
      (pt.active_count ?? 0) + ' active'));
  }

  const hs = s.hit_stats || {};
  const rate = Number.isFinite(Number(hs.hit_rate)) ? Number(hs.hit_rate) : null;
  cards.push(card('Hit rate', formatPercent(rate), null, {wide: true, valueClass: hitClass(rate), extra: kv([
    ['Requests', formatCount(hs.total_requests)],
    ['Tokens', formatCount(hs.total_tokens)],
    ['Retrieved tokens', formatCount(hs.total_retrieved_tokens)],
  ])}));
  return cards;
}
