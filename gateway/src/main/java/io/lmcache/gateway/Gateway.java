package io.lmcache.gateway;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.discovery.http.DiscoveryRoutes;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.gateway.api.ApiRoutes;
import io.lmcache.gateway.api.GatewayHeartbeat;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.http.GatewayChannelInitializer;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.metrics.MetricsRoutes;
import io.lmcache.gateway.nodes.NodeDirectories;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.ui.UiRoutes;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the composition root that wires node directory, local routes, proxy pipeline and server.
 * Tests start one in-process with {@link #start(GatewayConfig)} (port 0 for a free port) and close it.
 *
 * <p>Start-up order: bind the server, then begin the first node load and wait for it at most
 * {@link #INITIAL_LOAD_WAIT_MILLIS} (the server already answers meanwhile; a slow source never delays start-up
 * longer), then start the heartbeat when {@code --heartbeat-url} is set. {@link #close()} stops the heartbeat first
 * (which deregisters the gateway), then the server.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Longest wait for the first node load during start-up. */
    public static final long INITIAL_LOAD_WAIT_MILLIS = 2_000;

    private final GatewayServices services;
    private final HttpServer server;
    private final DiscoveryRegistry embedded;

    private Gateway(GatewayServices services, HttpServer server, DiscoveryRegistry embedded) {
        this.services = services;
        this.server = server;
        this.embedded = embedded;
    }

    /**
     * Starts a gateway. Throws {@link IllegalArgumentException} when the node source is unusable as a whole
     * ({@code --nodes} not a JSON array, {@code --config} unreadable).
     */
    public static Gateway start(GatewayConfig config) throws InterruptedException {
        Transport transport = Transport.select(config.transport());
        CollectorRegistry registry = new CollectorRegistry(true);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        HttpFetcher fetcher = new HttpFetcher(transport);
        SelfAddress self = new SelfAddress(config.host(), config.port());
        NodeDirectory nodes;
        DiscoveryRegistry embedded;
        try {
            embedded = config.embeddedDiscovery()
                    ? DiscoveryRegistry.create(config.discoveryTtl().toMillis(), config.discoveryMaxNodes()) : null;
            if (embedded != null) {
                embedded.registerMetrics(registry);
            }
            nodes = NodeDirectories.create(config, fetcher, embedded, metrics, self);
        } catch (RuntimeException e) {
            fetcher.close();
            throw e;
        }
        Router router = new Router();
        GatewayHeartbeat heartbeat = new GatewayHeartbeat(fetcher, config, self, nodes);
        GatewayServices services = new GatewayServices(config, transport, nodes, router, fetcher, registry, metrics,
                self, heartbeat);

        ApiRoutes.register(router, services);
        if (embedded != null) {
            DiscoveryRoutes.register(router, embedded);
        }
        MetricsRoutes.register(router, services);
        UiRoutes.register(router, services);

        HttpServer server;
        try {
            server = HttpServer.start("gateway", config.host(), config.port(), transport, config.ioThreads(),
                    new GatewayChannelInitializer(services));
        } catch (InterruptedException | RuntimeException e) {
            heartbeat.close();
            fetcher.close();
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        self.bound(server.port());
        log.info("node source: {}", nodes.sourceDescription());
        nodes.start();
        if (!nodes.awaitFirstLoad(Duration.ofMillis(INITIAL_LOAD_WAIT_MILLIS))) {
            log.info("first node load from {} still running; serving meanwhile", nodes.sourceDescription());
        }
        if (config.heartbeatUrl() != null) {
            heartbeat.start(config.heartbeatUrl(), config.heartbeatInitialDelay(), config.heartbeatInterval())
                    .exceptionally(e -> {
                        log.warn("heartbeat to {} not started: {}", config.heartbeatUrl(), e.toString());
                        return false;
                    });
        }
        return new Gateway(services, server, embedded);
    }

    public int port() {
        return server.port();
    }

    public GatewayServices services() {
        return services;
    }

    /** The embedded discovery registry, or null when a node source was given. */
    public DiscoveryRegistry embeddedDiscovery() {
        return embedded;
    }

    @Override
    public void close() {
        services.heartbeat().close();
        server.close();
        services.fetcher().close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
