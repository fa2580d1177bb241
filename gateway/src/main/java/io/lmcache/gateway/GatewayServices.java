package io.lmcache.gateway;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.prometheus.client.CollectorRegistry;

/**
 * The shared services of one gateway process, wired once by {@link Gateway} and handed to every part that needs
 * them. {@code self} learns the bound port after start (for refusing to proxy to ourselves).
 */
public record GatewayServices(
        GatewayConfig config,
        Transport transport,
        NodeDirectory nodes,
        Router localRoutes,
        HttpFetcher fetcher,
        CollectorRegistry registry,
        GatewayMetrics metrics,
        SelfAddress self) {
}
