package io.lmcache.gateway;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.http.GatewayChannelInitializer;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.prometheus.client.CollectorRegistry;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway pipeline on a loopback port with a given node directory and local router, for tests of the inbound
 * pipeline and the proxy (no node source, no UI, no metrics routes unless the test adds them).
 */
public final class ProxyTestGateway implements AutoCloseable {
    private final HttpServer server;
    private final GatewayChannelInitializer initializer;
    private final HttpFetcher fetcher;

    private ProxyTestGateway(HttpServer server, GatewayChannelInitializer initializer, HttpFetcher fetcher) {
        this.server = server;
        this.initializer = initializer;
        this.fetcher = fetcher;
    }

    public static ProxyTestGateway start(NodeDirectory nodes, Router router, GatewayConfig config)
            throws InterruptedException {
        Transport transport = Transport.select(config.transport());
        CollectorRegistry registry = new CollectorRegistry(true);
        HttpFetcher fetcher = new HttpFetcher(transport);
        SelfAddress self = new SelfAddress(config.host(), config.port());
        GatewayServices services = new GatewayServices(config, transport, nodes, router, fetcher, registry,
                new GatewayMetrics(registry), self);
        GatewayChannelInitializer initializer = new GatewayChannelInitializer(services);
        HttpServer server = HttpServer.start("gateway", config.host(), config.port(), transport, 2, initializer);
        self.bound(server.port());
        return new ProxyTestGateway(server, initializer, fetcher);
    }

    /** Defaults on 127.0.0.1 and a free port, with the given settings replaced by record component name. */
    public static GatewayConfig config(Map<String, Object> overrides) {
        Map<String, Object> all = new java.util.HashMap<>(overrides);
        all.putIfAbsent("host", "127.0.0.1");
        all.putIfAbsent("port", 0);
        return with(GatewayConfig.defaults(), all);
    }

    /** A copy of {@code config} with components replaced by name (robust to components added later). */
    public static GatewayConfig with(GatewayConfig config, Map<String, Object> overrides) {
        try {
            RecordComponent[] components = GatewayConfig.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                String name = components[i].getName();
                values[i] = overrides.containsKey(name) ? overrides.get(name) : components[i].getAccessor().invoke(config);
            }
            return GatewayConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> timeouts(Duration connect, Duration response) {
        return Map.of("connectTimeout", connect, "responseTimeout", response);
    }

    public int port() {
        return server.port();
    }

    public GatewayChannelInitializer initializer() {
        return initializer;
    }

    @Override
    public void close() {
        server.close();
        fetcher.close();
    }
}
