package io.lmcache.gateway;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.api.GatewayHeartbeat;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.prometheus.client.CollectorRegistry;

/**
 * The shared services of one gateway process, wired once by {@link Gateway} and handed to every part that needs
 * them. {@code self} learns the bound port after start (for refusing to proxy to ourselves). {@code heartbeat} is
 * the gateway's own registration with a discovery service.
 */
public record GatewayServices(
        GatewayConfig config,
        Transport transport,
        NodeDirectory nodes,
        Router localRoutes,
        HttpFetcher fetcher,
        CollectorRegistry registry,
        GatewayMetrics metrics,
        SelfAddress self,
        GatewayHeartbeat heartbeat) {

    /** Without an explicit heartbeat: one that is created on first use (for tests that build services directly). */
    public GatewayServices(GatewayConfig config, Transport transport, NodeDirectory nodes, Router localRoutes,
                           HttpFetcher fetcher, CollectorRegistry registry, GatewayMetrics metrics, SelfAddress self) {
        this(config, transport, nodes, localRoutes, fetcher, registry, metrics, self,
                new GatewayHeartbeat(fetcher, config, self, nodes));
    }
}
