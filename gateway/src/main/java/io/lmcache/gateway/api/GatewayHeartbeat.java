package io.lmcache.gateway.api;

import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.SelfAddress;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.nodes.Leaf;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.ProxyNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own heartbeat (registering it, as {@code http://<report-host or local IP>:<port>}, with a discovery
 * service), controlled at boot by {@code --heartbeat-url} and at run time by {@code /api/heartbeat/...}.
 *
 * <p>Unlike the reference (§11.8, §11.11) the port is always the gateway's bound port and {@code nodes_count} its
 * live leaves, whether started at boot or later; every operation runs on one dedicated thread, so no caller (an event
 * loop in particular) waits for IP detection or for the service to stop; the service is created on first use.
 */
public final class GatewayHeartbeat implements AutoCloseable {
    private final HttpFetcher fetcher;
    private final GatewayConfig config;
    private final SelfAddress self;
    private final NodeDirectory nodes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gateway-heartbeat-control");
        t.setDaemon(true);
        return t;
    });
    private HeartbeatService service; // created and used only on the worker thread

    public GatewayHeartbeat(HttpFetcher fetcher, GatewayConfig config, SelfAddress self, NodeDirectory nodes) {
        this.fetcher = fetcher;
        this.config = config;
        this.self = self;
        this.nodes = nodes;
    }

    /** Starts beating to {@code url}; completes with false when a heartbeat is already running (nothing changes). */
    public CompletableFuture<Boolean> start(String url, Duration initialDelay, Duration interval) {
        return CompletableFuture.supplyAsync(() -> service().start(url, initialDelay, interval), worker);
    }

    /** Stops (deregistering); completes with false when no heartbeat was running. */
    public CompletableFuture<Boolean> stop() {
        return CompletableFuture.supplyAsync(() -> service != null && service.stop(), worker);
    }

    public CompletableFuture<Map<String, Object>> status() {
        return CompletableFuture.supplyAsync(() -> new LinkedHashMap<>(service().status()), worker);
    }

    private HeartbeatService service() {
        if (service == null) {
            service = new HeartbeatService(fetcher, self.port(), config.reportHost(), this::leafTargets,
                    ProcessHandle.current().pid());
        }
        return service;
    }

    /** Every distinct leaf address in tree order: probed for /version and counted as nodes_count. */
    List<HttpTarget> leafTargets() {
        Set<String> names = new LinkedHashSet<>();
        List<HttpTarget> out = new ArrayList<>();
        for (ProxyNode p : nodes.tree().proxies()) {
            for (Leaf l : p.nodes()) {
                if (!names.add(l.name())) {
                    continue;
                }
                try {
                    out.add(new HttpTarget(l.host(), l.port()));
                } catch (IllegalArgumentException e) {
                    // listed without a usable address: nothing to probe or count
                }
            }
        }
        return out;
    }

    /** Stops the heartbeat (deregistering) and the control thread, waiting a bounded time. */
    @Override
    public void close() {
        try {
            stop().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort at shutdown
        }
        worker.shutdownNow();
    }
}
