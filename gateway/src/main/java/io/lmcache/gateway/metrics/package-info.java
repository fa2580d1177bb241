/**
 * {@code GET /metrics}: one Prometheus scrape target for the whole fleet, and the gateway's own metrics.
 *
 * <p>How a scrape works: {@link io.lmcache.gateway.metrics.MetricsEndpoint} takes the leaf routes of the node tree,
 * {@link io.lmcache.gateway.metrics.MetricsScraper} fetches {@code <pathPrefix>/metrics} of each (bounded concurrency,
 * one shared deadline), {@link io.lmcache.gateway.metrics.ExpositionParser} turns each body into rendered sample lines
 * with {@code node="<name>"}, {@link io.lmcache.gateway.metrics.MetricsMerger} groups them by family, and
 * {@link io.lmcache.gateway.metrics.ChunkedResponseWriter} streams the result in pooled chunks.
 *
 * <p>The rules an operator may need to know (details in each class):
 * <ul>
 *   <li>Always 200, {@code text/plain; version=0.0.4; charset=utf-8}. A node that is down, slow, over
 *       {@link io.lmcache.gateway.metrics.MetricsLimits} or unparsable is {@code lmcache_gateway_scrape_up{node} 0};
 *       its reason is in the log (once a minute per node at WARN).</li>
 *   <li>One HELP (the first node's that has one) and one TYPE per family. TYPE conflict between nodes: the family is
 *       {@code untyped}, every sample keeps its name, nothing is dropped.</li>
 *   <li>OpenMetrics input is written as Python's {@code prometheus_client} writes 0.0.4: counter {@code x} becomes
 *       family {@code x_total}; {@code _created} (and gauge histograms' {@code _gcount}/{@code _gsum}) become their own
 *       gauge families; exemplars are dropped; timestamps become milliseconds.</li>
 *   <li>An existing {@code node} label becomes {@code exported_node}; {@code :} in a label name becomes {@code _}
 *       (0.0.4 forbids it in label names; metric names keep their colons).</li>
 *   <li>{@code ?format=concat} gives the original's concatenated blocks for old tooling.</li>
 * </ul>
 */
package io.lmcache.gateway.metrics;
