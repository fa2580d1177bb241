// Talking to the gateway: every call has a timeout (a slow node never blocks the page), node names are always
// URL-encoded into /proxy2/<name>/..., and fan-outs run a few at a time.

export const DEFAULT_TIMEOUT_MS = 8000;

/** GET (or another method) with an AbortController deadline. Resolves to {ok, status, text}; never rejects. */
export async function request(url, opts) {
  const o = opts || {};
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs || DEFAULT_TIMEOUT_MS);
  try {
    const resp = await fetch(url, {method: o.method || 'GET', signal: controller.signal, cache: 'no-store',
      headers: {'Accept': o.accept || '*/*'}});
    const text = await resp.text();
    return {ok: resp.ok, status: resp.status, text};
  } catch (e) {
    const timedOut = e && e.name === 'AbortError';
    return {ok: false, status: 0, text: timedOut ? 'timed out' : String(e && e.message || e), timedOut};
  } finally {
    clearTimeout(timer);
  }
}

/** The /proxy2 URL of a node path; the name is encoded, so '/', '?', '#' or markup in it stay inside one segment. */
export function nodeUrl(nodeName, path) {
  return '/proxy2/' + encodeURIComponent(nodeName) + '/' + path;
}

export function nodeRequest(nodeName, path, opts) {
  return request(nodeUrl(nodeName, path), opts);
}

export function parseJson(text) {
  try {
    return {ok: true, value: JSON.parse(text)};
  } catch (e) {
    return {ok: false};
  }
}

/** A short error text for a failed response: the server's {"detail"} when present. */
export function describeFailure(res) {
  if (res.timedOut) return 'Timed out';
  if (res.status === 0) return 'Unreachable: ' + res.text;
  const parsed = parseJson(res.text);
  const detail = parsed.ok && parsed.value && typeof parsed.value === 'object'
    ? (parsed.value.detail || parsed.value.error || parsed.value.reason) : null;
  return 'HTTP ' + res.status + (detail ? ': ' + detail : (res.text ? ': ' + res.text.slice(0, 200) : ''));
}

/** Runs task(item) for every item, at most `limit` at a time; resolves to the results in item order. */
export async function mapLimited(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i], i);
      } catch (e) {
        results[i] = undefined;
      }
    }
  }
  const workers = [];
  for (let w = 0; w < Math.min(limit, items.length); w++) workers.push(worker());
  await Promise.all(workers);
  return results;
}

/**
 * Parses Prometheus text (0.0.4 or OpenMetrics) into samples {name, labels: {k: v}, value}. Metric names may contain
 * ':' (LMCache's do). Malformed lines are skipped.
 */
export function parsePrometheus(text) {
  const samples = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    let i = 0;
    while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
    const name = line.slice(0, i);
    const labels = {};
    if (line[i] === '{') {
      i++;
      while (i < line.length && line[i] !== '}') {
        while (line[i] === ' ' || line[i] === ',') i++;
        if (line[i] === '}') break;
        const eq = line.indexOf('=', i);
        if (eq < 0) break;
        const key = line.slice(i, eq).trim();
        i = eq + 1;
        while (line[i] === ' ') i++;
        if (line[i] !== '"') break;
        i++;
        let value = '';
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) {
            const c = line[i + 1];
            value += c === 'n' ? '\n' : c;
            i += 2;
          } else {
            value += line[i++];
          }
        }
        i++;
        labels[key] = value;
      }
      i++;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (!name || rest.length === 0 || rest[0] === '') continue;
    const value = Number(rest[0] === '+Inf' ? Infinity : rest[0] === '-Inf' ? -Infinity : rest[0]);
    samples.push({name, labels, value});
  }
  return samples;
}

/** Env keys whose values are hidden until clicked. */
const SECRET_KEY = /(TOKEN|KEY|SECRET|PASSWORD|PASSWD|PASS|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|CERT)/i;

export function looksSecret(key) {
  return SECRET_KEY.test(key);
}
