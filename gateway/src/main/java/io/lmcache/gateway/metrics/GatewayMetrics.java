package io.lmcache.gateway.metrics;

import io.prometheus.client.CollectorRegistry;

/**
 * CONTRACT STUB (the metrics work implements it): the gateway's own Prometheus families. Other parts only call
 * these methods; keep the signatures, add what is needed.
 */
public final class GatewayMetrics {
    public GatewayMetrics(CollectorRegistry registry) {
    }

    /** A proxied request finished with {@code status} (0 when no response was sent) after {@code nanos}. */
    public void proxied(String node, int status, long nanos) {
    }

    public void clientConnectionOpened() {
    }

    public void clientConnectionClosed() {
    }

    public void upstreamConnectionOpened(String node) {
    }

    public void upstreamConnectionClosed(String node) {
    }

    /** A node-tree refresh failed (the last good tree stays). */
    public void nodeRefreshFailed() {
    }

    /** Supplies the node tree's age in seconds for a gauge. */
    public void treeAgeSeconds(java.util.function.DoubleSupplier ageSeconds) {
    }
}
