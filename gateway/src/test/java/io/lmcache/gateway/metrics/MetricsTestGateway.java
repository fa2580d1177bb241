package io.lmcache.gateway.metrics;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.GatewayServices;
import io.lmcache.gateway.SelfAddress;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.NodeTree;
import io.lmcache.gateway.nodes.Route;
import io.prometheus.client.CollectorRegistry;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link MetricsRoutes} served on a real loopback server with a fixed list of leaf routes in place of the node tree:
 * the gateway as Prometheus sees it, without depending on the node-source implementation.
 */
final class MetricsTestGateway implements AutoCloseable {
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final HttpFetcher fetcher;
    private final HttpServer server;
    private final GatewayServices services;

    MetricsTestGateway(Duration metricsTimeout, int concurrency, MetricsLimits limits) throws InterruptedException {
        Transport transport = Transport.select("auto");
        GatewayConfig config = config(Map.of("host", "127.0.0.1", "port", 0, "metricsTimeout", metricsTimeout,
                "metricsConcurrency", concurrency));
        CollectorRegistry registry = new CollectorRegistry(true);
        Router router = new Router();
        fetcher = new HttpFetcher(transport);
        services = new GatewayServices(config, transport, new FixedDirectory(routes), router, fetcher, registry,
                new GatewayMetrics(registry), new SelfAddress("127.0.0.1", 0));
        MetricsRoutes.register(router, services, limits);
        server = HttpServer.startLocal("test-gateway", "127.0.0.1", 0, transport, 1, HttpLimits.DEFAULTS, router);
    }

    void addRoute(Route route) {
        routes.add(route);
    }

    int port() {
        return server.port();
    }

    GatewayServices services() {
        return services;
    }

    @Override
    public void close() {
        server.close();
        fetcher.close();
    }

    /** The defaults with {@code overrides} by component name; robust to fields added to the config later. */
    static GatewayConfig config(Map<String, Object> overrides) {
        try {
            GatewayConfig defaults = GatewayConfig.defaults();
            RecordComponent[] components = GatewayConfig.class.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = overrides.containsKey(components[i].getName())
                        ? overrides.get(components[i].getName()) : components[i].getAccessor().invoke(defaults);
            }
            Constructor<GatewayConfig> c = GatewayConfig.class.getDeclaredConstructor(types);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private record FixedDirectory(List<Route> routes) implements NodeDirectory {
        @Override
        public NodeTree tree() {
            return NodeTree.EMPTY;
        }

        @Override
        public Optional<Route> route(String nodeName) {
            return routes.stream().filter(r -> r.nodeName().equals(nodeName)).findFirst();
        }

        @Override
        public boolean isRegisteredTarget(String host, String port) {
            return false;
        }

        @Override
        public List<Route> leafRoutes() {
            return List.copyOf(routes);
        }
    }
}
