package io.lmcache.discovery;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.discovery.config.DiscoveryConfig;
import io.lmcache.discovery.http.DiscoveryRoutes;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The standalone discovery service: the discovery routes plus {@code /health} and {@code /metrics}, on its own
 * server. {@link #close()} stops accepting, finishes in-flight requests and stops the registry's sweep.
 */
public final class DiscoveryServer implements AutoCloseable {
    static final String SERVICE_NAME = "lmcache-discovery";
    private static final Map<String, String> HEALTHY = Map.of("status", "healthy", "service", SERVICE_NAME);

    private final DiscoveryRegistry registry;
    private final HttpServer server;

    private DiscoveryServer(DiscoveryRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    public static DiscoveryServer start(DiscoveryConfig config) throws InterruptedException {
        Transport transport = Transport.select(config.transport());
        DiscoveryRegistry registry = DiscoveryRegistry.create(config.ttl().toMillis(), config.maxNodes());
        CollectorRegistry metrics = new CollectorRegistry(true);
        registry.registerMetrics(metrics);
        DefaultExports.register(metrics);

        Router router = new Router();
        DiscoveryRoutes.register(router, registry);
        router.get("/health", ex -> ex.json(HttpResponseStatus.OK, HEALTHY));
        router.get("/metrics", ex -> ex.respond(Responses.bytes(HttpResponseStatus.OK, TextFormat.CONTENT_TYPE_004,
                exposition(metrics))));
        try {
            HttpServer server = HttpServer.startLocal(SERVICE_NAME, config.host(), config.port(), transport,
                    config.ioThreads(), HttpLimits.DEFAULTS, router);
            return new DiscoveryServer(registry, server);
        } catch (InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static byte[] exposition(CollectorRegistry metrics) throws IOException {
        StringWriter w = new StringWriter(4096);
        TextFormat.write004(w, metrics.metricFamilySamples());
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    public int port() {
        return server.port();
    }

    public DiscoveryRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
