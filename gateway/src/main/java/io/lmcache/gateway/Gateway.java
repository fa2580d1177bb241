package io.lmcache.gateway;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.discovery.http.DiscoveryRoutes;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.gateway.api.ApiRoutes;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.http.GatewayChannelInitializer;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.metrics.MetricsRoutes;
import io.lmcache.gateway.nodes.NodeDirectories;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.ui.UiRoutes;
import io.prometheus.client.CollectorRegistry;

/**
 * A running gateway: the composition root that wires node directory, local routes, proxy pipeline and server.
 * Tests start one in-process with {@link #start(GatewayConfig)} (port 0 for a free port) and close it.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayServices services;
    private final HttpServer server;

    private Gateway(GatewayServices services, HttpServer server) {
        this.services = services;
        this.server = server;
    }

    public static Gateway start(GatewayConfig config) throws InterruptedException {
        Transport transport = Transport.select(config.transport());
        CollectorRegistry registry = new CollectorRegistry(true);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        HttpFetcher fetcher = new HttpFetcher(transport);
        DiscoveryRegistry embedded = config.embeddedDiscovery()
                ? DiscoveryRegistry.create(config.discoveryTtl().toMillis(), config.discoveryMaxNodes()) : null;
        NodeDirectory nodes = NodeDirectories.create(config, fetcher, embedded, metrics);
        Router router = new Router();
        SelfAddress self = new SelfAddress(config.host(), config.port());
        GatewayServices services = new GatewayServices(config, transport, nodes, router, fetcher, registry, metrics, self);

        ApiRoutes.register(router, services);
        if (embedded != null) {
            DiscoveryRoutes.register(router, embedded);
        }
        MetricsRoutes.register(router, services);
        UiRoutes.register(router, services);

        HttpServer server = HttpServer.start("gateway", config.host(), config.port(), transport, config.ioThreads(),
                new GatewayChannelInitializer(services));
        self.bound(server.port());
        return new Gateway(services, server);
    }

    public int port() {
        return server.port();
    }

    public GatewayServices services() {
        return services;
    }

    @Override
    public void close() {
        server.close();
        services.fetcher().close();
    }
}
