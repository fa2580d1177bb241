package io.lmcache.agent.testing;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback discovery service implementing the wire contract the agent talks to: {@code GET /lmcache_heartbeat} and
 * {@code /heartbeat} (recording the raw request URI), {@code GET|DELETE /lmcache_deregister?api_address=}, and
 * {@code GET /lmcache_infos} in the reference's shape. {@link #status} scripts the heartbeat answer.
 */
public final class FakeDiscovery implements AutoCloseable {
    private final HttpServer server;
    public final List<String> rawHeartbeats = new CopyOnWriteArrayList<>();
    public final List<String> rawDeregistrations = new CopyOnWriteArrayList<>();
    public final Map<String, Map<String, String>> registered = new ConcurrentHashMap<>();
    public volatile HttpResponseStatus status = HttpResponseStatus.OK;

    private FakeDiscovery(int port) throws InterruptedException {
        Router r = new Router();
        Router.Handler beat = ex -> {
            rawHeartbeats.add(ex.request().uri());
            if (status.code() != 200) {
                ex.detail(status, "scripted failure");
                return;
            }
            String address = ex.queryParam("api_address");
            if (address != null && !address.isEmpty()) {
                registered.put(address, Map.of("pid", String.valueOf(ex.queryParam("pid")),
                        "version", String.valueOf(ex.queryParam("version")),
                        "other_info", String.valueOf(ex.queryParam("other_info"))));
            }
            ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
        };
        Router.Handler deregister = ex -> {
            rawDeregistrations.add(ex.request().uri());
            String address = ex.queryParam("api_address");
            if (address != null) {
                registered.remove(address);
            }
            ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
        };
        r.get("/lmcache_heartbeat", beat).get("/heartbeat", beat)
                .get("/lmcache_deregister", deregister).delete("/lmcache_deregister", deregister)
                .get("/lmcache_infos", ex -> ex.respond(Responses.json(HttpResponseStatus.OK, infos())));
        server = HttpServer.startLocal("fake-discovery", "127.0.0.1", port, Transport.NIO, 1, HttpLimits.DEFAULTS, r);
    }

    public static FakeDiscovery start(int port) throws InterruptedException {
        return new FakeDiscovery(port);
    }

    private Map<String, Object> infos() {
        Map<String, Object> processInfos = new java.util.LinkedHashMap<>();
        registered.forEach((address, v) -> processInfos.put(address, Map.of("count", 1, "lmCacheInfoEntities",
                List.of(Map.of("apiAddress", address, "version", v.get("version"), "otherInfo", v.get("other_info"),
                        "pid", Long.parseLong(v.get("pid")))))));
        return Map.of("processCount", processInfos.size(), "processInfos", processInfos);
    }

    public int port() {
        return server.port();
    }

    public String heartbeatUrl() {
        return "http://127.0.0.1:" + port() + "/lmcache_heartbeat";
    }

    @Override
    public void close() {
        server.close();
    }
}
