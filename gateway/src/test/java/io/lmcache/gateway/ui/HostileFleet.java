package io.lmcache.gateway.ui;

import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted gateway whose every piece of node data is hostile markup: the dashboard's routes plus {@code /api/nodes},
 * {@code /metrics} and {@code /proxy2/<node>/...} answers as a compromised discovery or MP node could send them. (The
 * real gateway already makes names URL-safe; the page must be safe without relying on that.) It records the raw
 * request targets and the peak number of concurrent {@code /env} requests.
 *
 * <p>A few plain nodes misbehave on purpose: {@value #OLD_NODE} serves neither status path nor threads (an MP build
 * without them), {@value #SLOW_NODE} never answers its status in time, {@value #DOWN_NODE} failed its last scrape and
 * {@value #STALE_NODE} missed heartbeats.
 */
final class HostileFleet implements AutoCloseable {
    static final String EVIL_NAME = "<img src=x onerror=alert(1)>";
    static final String EVIL_PROXY = "<b onmouseover=alert(2)>proxy</b>";
    static final String EVIL_HOST = "<script>alert(3)</script>";
    static final String SECRET_VALUE = "hf_not_for_shoulder_surfers";
    static final int PLAIN_NODES = 11;
    static final String OLD_NODE = "plain-1";
    static final String DOWN_NODE = "plain-2";
    static final String STALE_NODE = "plain-3";
    static final String SLOW_NODE = "plain-4";
    static final long SLOW_STATUS_MILLIS = 60_000;
    static final long ENV_DELAY_MILLIS = 150;

    private final HttpServer server;
    final Queue<String> rawTargets = new ConcurrentLinkedQueue<>();
    final AtomicInteger envInFlight = new AtomicInteger();
    final AtomicInteger envPeak = new AtomicInteger();
    final AtomicInteger envRequests = new AtomicInteger();

    HostileFleet() throws InterruptedException {
        Router router = new Router();
        UiRoutes.register(router, StaticAssets.load(HostileFleet.class.getClassLoader()));
        router.get("/api/nodes", ex -> ex.json(HttpResponseStatus.OK, tree()));
        router.get("/metrics", ex -> ex.respond(Responses.text(HttpResponseStatus.OK, metrics(true))));
        router.get("/proxy2/{node}/{path}", this::node);
        router.get("/proxy2/{node}/{path}/{more}", ex -> {
            rawTargets.add(ex.request().uri());
            ex.detail(HttpResponseStatus.NOT_FOUND, "Not Found");
        });
        server = HttpServer.startLocal("hostile", "127.0.0.1", 0, Transport.select("nio"), 2, HttpLimits.DEFAULTS, router);
    }

    int port() {
        return server.port();
    }

    static List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        names.add(EVIL_NAME);
        for (int i = 1; i <= PLAIN_NODES; i++) {
            names.add("plain-" + i);
        }
        return names;
    }

    private static Map<String, Object> tree() {
        List<Map<String, Object>> children = new ArrayList<>();
        int port = 9000;
        for (String name : nodeNames()) {
            Map<String, Object> leaf = new LinkedHashMap<>();
            leaf.put("id", "node_" + name);
            leaf.put("name", name);
            leaf.put("host", name.equals(EVIL_NAME) ? EVIL_HOST : "10.0.0.1");
            leaf.put("port", port++);
            leaf.put("is_proxy", false);
            leaf.put("proxy_id", EVIL_PROXY);
            leaf.put("state", name.equals(STALE_NODE) ? "stale" : "up");
            children.add(leaf);
        }
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("id", "proxy_" + EVIL_PROXY);
        proxy.put("name", EVIL_PROXY);
        proxy.put("host", EVIL_HOST);
        proxy.put("port", 8000);
        proxy.put("is_proxy", true);
        proxy.put("children", children);
        return Map.of("nodes", List.of(proxy), "age_seconds", 0);
    }

    private static String metrics(boolean gateway) {
        String label = gateway ? "node=\"" + EVIL_NAME.replace("\"", "\\\"") + "\"," : "";
        return "# TYPE lmcache_gateway_scrape_up gauge\n"
                + (gateway ? "lmcache_gateway_scrape_up{node=\"" + EVIL_NAME + "\"} 1\n"
                        + "lmcache_gateway_scrape_up{node=\"" + DOWN_NODE + "\"} 0\n"
                        + "lmcache_gateway_scrape_up{node=\"" + STALE_NODE + "\"} 1\n" : "")
                + "# TYPE lmcache:local_cache_usage gauge\n"
                + "lmcache:local_cache_usage{" + label + "model_name=\"<svg onload=alert(4)>\"} 1048576\n"
                + "# TYPE lmcache:local_cache_capacity gauge\n"
                + "lmcache:local_cache_capacity{" + label + "model_name=\"<svg onload=alert(4)>\"} 4194304\n"
                + "# TYPE lmcache:num_retrieve_requests_total counter\n"
                + "lmcache:num_retrieve_requests_total{" + label + "model_name=\"x\"} 42\n";
    }

    private void node(Exchange ex) {
        rawTargets.add(ex.request().uri());
        String path = ex.pathParam("path");
        String node = ex.pathParam("node");
        if (node.equals(OLD_NODE) && (path.equals("status") || path.equals("threads"))) {
            ex.detail(HttpResponseStatus.NOT_FOUND, "Not Found");
            return;
        }
        if (node.equals(SLOW_NODE) && path.equals("status")) {
            ex.ctx().executor().schedule(() -> ex.json(HttpResponseStatus.OK, status()), SLOW_STATUS_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        switch (path) {
            case "status" -> ex.json(HttpResponseStatus.OK, status());
            case "healthcheck" -> ex.json(HttpResponseStatus.OK, Map.of("status", "healthy"));
            case "version" -> ex.json(HttpResponseStatus.OK, "<img src=v onerror=alert(5)>");
            case "metrics" -> ex.respond(Responses.text(HttpResponseStatus.OK, metrics(false)));
            case "threads" -> ex.json(HttpResponseStatus.OK, List.of(Map.of("thread_id", 1,
                    "name", "<img src=t onerror=alert(6)>", "state", "running", "function_name", "<i>run</i>")));
            case "loglevel" -> ex.respond(Responses.text(HttpResponseStatus.OK,
                    "=== Loggers and Levels ===\n<img src=l onerror=alert(7)>: INFO\n"));
            case "conf" -> ex.json(HttpResponseStatus.OK, Map.of("mp", Map.of("<img src=c onerror=alert(8)>", 1)));
            case "env" -> env(ex);
            default -> ex.detail(HttpResponseStatus.NOT_FOUND, "Not Found");
        }
    }

    /** Answers /env after a pause, so concurrent requests overlap and the peak shows the page's fan-out bound. */
    private void env(Exchange ex) {
        envRequests.incrementAndGet();
        int now = envInFlight.incrementAndGet();
        envPeak.accumulateAndGet(now, Math::max);
        String body = "{\n  \"EVIL\": \"<img src=e onerror=alert(9)>\",\n  \"HF_TOKEN\": \"" + SECRET_VALUE
                + "\",\n  \"PATH\": \"/usr/bin\"\n}";
        ex.ctx().executor().schedule(() -> {
            envInFlight.decrementAndGet();
            ex.respond(Responses.text(HttpResponseStatus.OK, body));
        }, ENV_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("is_healthy", true);
        s.put("engine_type", "<img src=g onerror=alert(10)>");
        s.put("chunk_size", 256);
        s.put("hash_algorithm", "<svg onload=alert(11)>");
        s.put("registered_gpu_ids", List.of("<b>0</b>"));
        s.put("active_sessions", 2);
        s.put("prefetch_job_ids", List.of("<i>1</i>", 2, 3, 4, 5, 6, 7));
        s.put("storage_manager", Map.of("l1_manager", Map.of("memory_total_bytes", 1000, "memory_used_bytes", 950,
                "total_object_count", 3), "num_l2_adapters", 1, "l2_adapters", List.of(Map.of("type", "<u>disk</u>"))));
        s.put("hit_stats", Map.of("hit_rate", 0.85, "total_requests", 1200, "total_tokens", 2_500_000,
                "total_retrieved_tokens", 2_100_000));
        return s;
    }

    @Override
    public void close() {
        server.close();
    }
}
