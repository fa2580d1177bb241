package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    private Double value(String name, String[] labels, String[] values) {
        return registry.getSampleValue(name, labels, values);
    }

    @Test
    void proxied_requests_count_by_node_and_status_class_and_feed_the_latency_histogram() {
        metrics.proxied("a", 200, TimeUnit.MILLISECONDS.toNanos(3));
        metrics.proxied("a", 204, TimeUnit.MILLISECONDS.toNanos(30));
        metrics.proxied("a", 0, TimeUnit.SECONDS.toNanos(1));
        metrics.proxied("b", 503, 1);
        String[] l = {"node", "status_class"};
        assertThat(value("lmcache_gateway_proxied_requests_total", l, new String[] {"a", "2xx"})).isEqualTo(2.0);
        assertThat(value("lmcache_gateway_proxied_requests_total", l, new String[] {"a", "none"})).isEqualTo(1.0);
        assertThat(value("lmcache_gateway_proxied_requests_total", l, new String[] {"b", "5xx"})).isEqualTo(1.0);
        assertThat(registry.getSampleValue("lmcache_gateway_upstream_latency_seconds_count")).isEqualTo(4.0);
        assertThat(value("lmcache_gateway_upstream_latency_seconds_bucket", new String[] {"le"}, new String[] {"0.005"}))
                .isEqualTo(2.0);
    }

    @Test
    void connection_gauges_go_up_and_down() {
        metrics.clientConnectionOpened();
        metrics.clientConnectionOpened();
        metrics.clientConnectionClosed();
        metrics.upstreamConnectionOpened("a");
        metrics.upstreamConnectionOpened("a");
        metrics.upstreamConnectionClosed("a");
        assertThat(registry.getSampleValue("lmcache_gateway_client_connections")).isEqualTo(1.0);
        assertThat(value("lmcache_gateway_upstream_connections", new String[] {"node"}, new String[] {"a"})).isEqualTo(1.0);
    }

    @Test
    void tree_age_comes_from_the_supplier_and_refresh_failures_count() {
        assertThat(registry.getSampleValue("lmcache_gateway_node_tree_age_seconds")).isNaN();
        metrics.treeAgeSeconds(() -> 12.5);
        metrics.nodeRefreshFailed();
        assertThat(registry.getSampleValue("lmcache_gateway_node_tree_age_seconds")).isEqualTo(12.5);
        assertThat(registry.getSampleValue("lmcache_gateway_node_refresh_failures_total")).isEqualTo(1.0);
    }

    @Test
    void jvm_families_are_in_the_gateways_registry_not_the_default_one() {
        assertThat(registry.getSampleValue("jvm_threads_current")).isPositive();
        assertThat(CollectorRegistry.defaultRegistry.getSampleValue("lmcache_gateway_client_connections")).isNull();
    }

    @Test
    void status_classes_cover_every_range() {
        assertThat(GatewayMetrics.statusClass(101)).isEqualTo("1xx");
        assertThat(GatewayMetrics.statusClass(302)).isEqualTo("3xx");
        assertThat(GatewayMetrics.statusClass(404)).isEqualTo("4xx");
        assertThat(GatewayMetrics.statusClass(999)).isEqualTo("none");
    }
}
