package io.lmcache.gateway.demo;

import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway with its embedded discovery plus simulated MP nodes that join it the way real ones do: each node gets a
 * heartbeat sender pointed at the gateway's own {@code /lmcache_heartbeat}. Used by {@code lmcache-gateway demo} and by
 * the dashboard's browser tests. Closing stops the heartbeats (which deregister), the nodes, then the gateway.
 */
public final class DemoFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);

    /** Settings of a demo: where the gateway listens, how many nodes, how often they beat. */
    public record Settings(String host, int port, int nodes, Duration heartbeatInterval, Duration refreshInterval) {
        public Settings {
            if (nodes < 0 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("nodes must be between 0 and " + MAX_NODES + ": " + nodes);
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                    || refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("intervals must be positive");
            }
        }
    }

    public static final int MAX_NODES = 64;

    private final Gateway gateway;
    private final HttpFetcher fetcher;
    private final List<SimulatedMpServer> servers;
    private final List<HeartbeatService> heartbeats;
    private final String loopbackHost;

    private DemoFleet(Gateway gateway, HttpFetcher fetcher, List<SimulatedMpServer> servers,
                      List<HeartbeatService> heartbeats, String loopbackHost) {
        this.gateway = gateway;
        this.fetcher = fetcher;
        this.servers = servers;
        this.heartbeats = heartbeats;
        this.loopbackHost = loopbackHost;
    }

    /** Starts everything; on a failure part-way, what was started is closed again before the exception leaves. */
    public static DemoFleet start(Settings settings) throws InterruptedException {
        GatewayConfig config = demoConfig(settings);
        Gateway gateway = Gateway.start(config);
        HttpFetcher fetcher = null;
        List<SimulatedMpServer> servers = new ArrayList<>();
        List<HeartbeatService> heartbeats = new ArrayList<>();
        String local = reachableHost(settings.host());
        try {
            fetcher = new HttpFetcher(Transport.select("auto"));
            String heartbeatUrl = "http://" + hostForUrl(local) + ":" + gateway.port() + "/lmcache_heartbeat";
            long pid = ProcessHandle.current().pid();
            for (int i = 1; i <= settings.nodes(); i++) {
                SimulatedMpServer server = SimulatedMpServer.start(SimulatorOptions.builder()
                        .host(local).port(0).name("mp-" + i).seed(i).ioThreads(1).build());
                servers.add(server);
                HttpTarget target = HttpTarget.of(local, server.port());
                HeartbeatService heartbeat = new HeartbeatService(fetcher, server.port(), local, () -> List.of(target), pid);
                heartbeats.add(heartbeat);
                heartbeat.start(heartbeatUrl, Duration.ZERO, settings.heartbeatInterval());
            }
            return new DemoFleet(gateway, fetcher, servers, heartbeats, local);
        } catch (InterruptedException | RuntimeException e) {
            new DemoFleet(gateway, fetcher, servers, heartbeats, local).close();
            throw e;
        }
    }

    /** The gateway settings of a demo: embedded discovery, and short refresh and TTL so the page moves at once. */
    static GatewayConfig demoConfig(Settings s) {
        return GatewayConfig.defaults().toBuilder()
                .host(s.host())
                .port(s.port())
                .refreshInterval(s.refreshInterval())
                .discoveryTtl(s.heartbeatInterval().multipliedBy(3))
                .build();
    }

    /** The dashboard URL, with a host a browser on this machine can open. */
    public String url() {
        return "http://" + hostForUrl(loopbackHost) + ":" + gateway.port() + "/";
    }

    public Gateway gateway() {
        return gateway;
    }

    public List<SimulatedMpServer> servers() {
        return List.copyOf(servers);
    }

    @Override
    public void close() {
        for (HeartbeatService heartbeat : heartbeats) {
            closeQuietly(heartbeat, "heartbeat");
        }
        for (SimulatedMpServer server : servers) {
            closeQuietly(server, "simulated node");
        }
        closeQuietly(gateway, "gateway");
        if (fetcher != null) {
            closeQuietly(fetcher, "fetcher");
        }
    }

    private static void closeQuietly(AutoCloseable part, String what) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("closing the demo's {} failed", what, e);
        }
    }

    /** A wildcard listen address is reached through loopback; a specific one as given. */
    static String reachableHost(String listenHost) {
        if (listenHost == null || listenHost.isEmpty() || listenHost.equals("0.0.0.0") || listenHost.equals("::")
                || listenHost.equals("[::]")) {
            return "127.0.0.1";
        }
        return listenHost;
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
