package io.lmcache.gateway.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The gateway's own Prometheus families, registered in the gateway's registry (never the JVM-wide default one, so two
 * gateways in one test JVM do not collide). They are appended to every {@code /metrics} answer without a
 * {@code node} label on the gateway-wide ones.
 *
 * <ul>
 *   <li>{@code lmcache_gateway_proxied_requests_total{node,status_class}}: finished proxied requests;
 *       {@code status_class} is {@code 1xx}..{@code 5xx}, or {@code none} when no response was sent.</li>
 *   <li>{@code lmcache_gateway_upstream_latency_seconds}: time from request to end of response, over all nodes (one
 *       histogram, not one per node: a thousand nodes times a dozen buckets would swamp the scrape).</li>
 *   <li>{@code lmcache_gateway_upstream_connections{node}}: open pooled upstream connections.</li>
 *   <li>{@code lmcache_gateway_client_connections}: open client connections.</li>
 *   <li>{@code lmcache_gateway_node_tree_age_seconds}: age of the node tree served (NaN until a supplier is given).</li>
 *   <li>{@code lmcache_gateway_node_refresh_failures_total}: failed node-tree refreshes.</li>
 *   <li>JVM and process families of {@code simpleclient_hotspot}.</li>
 * </ul>
 * All methods are thread-safe and cheap enough for the proxy path.
 */
public final class GatewayMetrics {
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Counter proxied;
    private final Histogram upstreamLatency;
    private final Gauge upstreamConnections;
    private final Gauge clientConnections;
    private final Counter refreshFailures;
    private volatile DoubleSupplier treeAge = () -> Double.NaN;

    public GatewayMetrics(CollectorRegistry registry) {
        proxied = Counter.build("lmcache_gateway_proxied_requests", "Proxied requests by node and response status class.")
                .labelNames("node", "status_class").register(registry);
        upstreamLatency = Histogram.build("lmcache_gateway_upstream_latency_seconds",
                        "Time from forwarding a request to the end of the upstream response.")
                .buckets(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        upstreamConnections = Gauge.build("lmcache_gateway_upstream_connections",
                "Open upstream connections by node.").labelNames("node").register(registry);
        clientConnections = Gauge.build("lmcache_gateway_client_connections", "Open client connections.")
                .register(registry);
        Gauge treeAgeGauge = Gauge.build("lmcache_gateway_node_tree_age_seconds",
                "Seconds since the node tree in use was loaded.").register(registry);
        treeAgeGauge.setChild(new Gauge.Child() {
            @Override
            public double get() {
                return treeAge.getAsDouble();
            }
        });
        refreshFailures = Counter.build("lmcache_gateway_node_refresh_failures",
                "Node-tree refreshes that failed (the last good tree stays in use).").register(registry);
        DefaultExports.register(registry);
    }

    /** A proxied request finished with {@code status} (0 when no response was sent) after {@code nanos}. */
    public void proxied(String node, int status, long nanos) {
        proxied.labels(node, statusClass(status)).inc();
        upstreamLatency.observe(nanos / NANOS_PER_SECOND);
    }

    static String statusClass(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? STATUS_CLASSES[c] : STATUS_CLASSES[0];
    }

    public void clientConnectionOpened() {
        clientConnections.inc();
    }

    public void clientConnectionClosed() {
        clientConnections.dec();
    }

    public void upstreamConnectionOpened(String node) {
        upstreamConnections.labels(node).inc();
    }

    public void upstreamConnectionClosed(String node) {
        upstreamConnections.labels(node).dec();
    }

    /** A node-tree refresh failed (the last good tree stays). */
    public void nodeRefreshFailed() {
        refreshFailures.inc();
    }

    /** Supplies the node tree's age in seconds for a gauge. */
    public void treeAgeSeconds(DoubleSupplier ageSeconds) {
        this.treeAge = ageSeconds;
    }
}
