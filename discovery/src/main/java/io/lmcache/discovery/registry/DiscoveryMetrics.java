package io.lmcache.discovery.registry;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry's own metric families. One instance per registry (no static collectors), so an embedding gateway and
 * the standalone server each expose exactly their own counts.
 */
final class DiscoveryMetrics {
    final Counter heartbeats = Counter.build("lmcache_discovery_heartbeats",
            "Heartbeats accepted (new and repeated registrations).").create();
    final Counter registrations = Counter.build("lmcache_discovery_registrations",
            "Heartbeats that registered a node not listed before (first or after expiry).").create();
    final Counter evictions = Counter.build("lmcache_discovery_evictions",
            "Nodes removed because no heartbeat arrived within the TTL.").create();
    final Counter rejected = Counter.build("lmcache_discovery_rejected_heartbeats",
            "Heartbeats refused, by reason.").labelNames("reason").create();
    final Counter deregistrations = Counter.build("lmcache_discovery_deregistrations",
            "Deregistrations that removed a listed node.").create();
    private final Collector nodes;

    DiscoveryMetrics(Supplier<Map<EntryState, Integer>> countsByState) {
        for (Rejection r : Rejection.values()) {
            rejected.labels(r.label()); // every reason is exported from the start, at 0
        }
        nodes = new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                GaugeMetricFamily family = new GaugeMetricFamily("lmcache_discovery_nodes",
                        "Registered nodes by liveness state.", List.of("state"));
                countsByState.get().forEach((state, n) -> family.addMetric(List.of(state.label()), n));
                return List.of(family);
            }
        };
    }

    void register(CollectorRegistry registry) {
        registry.register(nodes);
        registry.register(heartbeats);
        registry.register(registrations);
        registry.register(evictions);
        registry.register(rejected);
        registry.register(deregistrations);
    }
}
