package io.lmcache.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.cli.Durations;
import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;
import io.lmcache.gateway.nodes.Leaf;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.NodeTree;
import io.lmcache.gateway.nodes.ProxyNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's own JSON API (reference §1.4, tree era):
 *
 * <ul>
 *   <li>{@code GET /health} → {@code {"status":"healthy","service":"lmcache-monitor"}}.</li>
 *   <li>{@code GET /api/nodes} → {@code {"nodes":[proxy...]}}, each proxy {@code {"id":"proxy_<name>", "name",
 *       "host", "port", "is_proxy":true, "cascade", "children":[{"id":"node_<leaf>", "name", "host", "port",
 *       "is_proxy":false, "proxy_id":"<proxy name>", "state"?}]}}, plus top-level {@code "source"},
 *       {@code "loaded_at"} (ISO-8601 UTC of the load the tree comes from, null before the first),
 *       {@code "age_seconds"} (null before the first load) and {@code "last_error"} (null when the latest refresh
 *       succeeded). TCP ports are JSON numbers, Unix socket paths strings; {@code state} ("up", "stale") only when
 *       discovery reported it.</li>
 *   <li>{@code GET /api/proxies} → {@code {"proxies":[{name,host,port}]}}; {@code GET /api/proxies/{p}/nodes} →
 *       {@code {"nodes":[{name,host,port,proxy_id}]}} or 404 "Proxy not found".</li>
 *   <li>{@code GET /api/proxies/{p}/refresh} re-probes that proxy's {@code /api/nodes}: {@code {"status":"success",
 *       "nodes":[...]}}; on failure 502 with the reason, and the children stay (the reference wiped them).</li>
 *   <li>{@code GET /api/heartbeat/status}, {@code POST /api/heartbeat/start} (JSON {@code heartbeat_url} required,
 *       {@code initial_delay} and {@code interval} in seconds), {@code POST /api/heartbeat/stop}: answered from the
 *       heartbeat's own thread, and truthful: "already running" / "was not running" are said so.</li>
 * </ul>
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
        NodeDirectory nodes = services.nodes();
        GatewayHeartbeat heartbeat = services.heartbeat();
        router.get("/health", ex -> ex.json(HttpResponseStatus.OK,
                Map.of("status", "healthy", "service", "lmcache-monitor")));
        router.get("/api/nodes", ex -> ex.json(HttpResponseStatus.OK, nodesBody(nodes)));
        router.get("/api/proxies", ex -> ex.json(HttpResponseStatus.OK, proxiesBody(nodes.tree())));
        router.get("/api/proxies/{proxy}/nodes", ex -> {
            Optional<ProxyNode> proxy = find(nodes.tree(), ex.pathParam("proxy"));
            if (proxy.isEmpty()) {
                ex.detail(HttpResponseStatus.NOT_FOUND, "Proxy not found");
                return;
            }
            ex.json(HttpResponseStatus.OK, Map.of("nodes", leaves(proxy.get().nodes())));
        });
        router.get("/api/proxies/{proxy}/refresh", ex -> nodes.refreshProxy(ex.pathParam("proxy")).whenComplete((r, e) -> {
            if (e != null) {
                ex.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Refresh failed: " + e);
            } else if (!r.found()) {
                ex.detail(HttpResponseStatus.NOT_FOUND, "Proxy not found");
            } else if (!r.ok()) {
                ex.detail(HttpResponseStatus.BAD_GATEWAY, r.error());
            } else {
                ex.json(HttpResponseStatus.OK, Map.of("status", "success", "nodes", leaves(r.nodes())));
            }
        }));
        router.get("/api/heartbeat/status", ex -> heartbeat.status().whenComplete((status, e) -> {
            if (e != null) {
                ex.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Heartbeat status failed: " + rootMessage(e));
            } else {
                ex.json(HttpResponseStatus.OK, status);
            }
        }));
        router.post("/api/heartbeat/start", ex -> startHeartbeat(ex, heartbeat));
        router.post("/api/heartbeat/stop", ex -> heartbeat.stop().whenComplete((stopped, e) -> {
            if (e != null) {
                ex.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Heartbeat stop failed: " + rootMessage(e));
            } else if (stopped) {
                ex.json(HttpResponseStatus.OK, Map.of("status", "success", "message", "Heartbeat service stopped"));
            } else {
                ex.json(HttpResponseStatus.OK, Map.of("status", "success", "message", "Heartbeat service was not running"));
            }
        }));
    }

    private static void startHeartbeat(Exchange ex, GatewayHeartbeat heartbeat) {
        JsonNode body;
        try {
            String text = ex.bodyUtf8();
            body = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "Body is not valid JSON: " + firstLine(e.getMessage()));
            return;
        }
        if (body == null || !body.isObject()) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "Body must be a JSON object");
            return;
        }
        JsonNode url = body.get("heartbeat_url");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "heartbeat_url is required");
            return;
        }
        String heartbeatUrl = url.asText().trim();
        if (!heartbeatUrl.startsWith("http://") || heartbeatUrl.length() <= "http://".length()) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "heartbeat_url must be an http:// URL");
            return;
        }
        Duration initialDelay;
        Duration interval;
        try {
            initialDelay = seconds(body, "initial_delay", 0, true);
            interval = seconds(body, "interval", 30, false);
        } catch (IllegalArgumentException e) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        heartbeat.start(heartbeatUrl, initialDelay, interval).whenComplete((started, e) -> {
            if (e != null) {
                ex.detail(HttpResponseStatus.BAD_REQUEST, "Heartbeat not started: " + rootMessage(e));
            } else if (started) {
                ex.json(HttpResponseStatus.OK, Map.of("status", "success", "message", "Heartbeat service started"));
            } else {
                ex.json(HttpResponseStatus.OK, Map.of("status", "success",
                        "message", "Heartbeat service already running; nothing changed"));
            }
        });
    }

    /** A number of seconds (the reference sends ints) or a duration string such as "500ms". */
    private static Duration seconds(JsonNode body, String key, double fallback, boolean zeroAllowed) {
        JsonNode v = body.get(key);
        Duration d;
        if (v == null || v.isNull()) {
            d = Duration.ofMillis(Math.round(fallback * 1000));
        } else if (v.isNumber()) {
            if (v.asDouble() < 0 || v.asDouble() > 86_400 * 365) {
                throw new IllegalArgumentException(key + " must be between 0 and one year of seconds");
            }
            d = Duration.ofMillis(Math.round(v.asDouble() * 1000));
        } else if (v.isTextual()) {
            d = Durations.parse(v.asText());
        } else {
            throw new IllegalArgumentException(key + " must be a number of seconds");
        }
        if (!zeroAllowed && d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return d;
    }

    static Map<String, Object> nodesBody(NodeDirectory nodes) {
        NodeTree tree = nodes.tree();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProxyNode p : tree.proxies()) {
            Map<String, Object> proxy = new LinkedHashMap<>();
            proxy.put("id", "proxy_" + p.name());
            proxy.put("name", p.name());
            proxy.put("host", p.host());
            proxy.put("port", portValue(p.port()));
            proxy.put("is_proxy", true);
            proxy.put("cascade", p.cascade());
            List<Map<String, Object>> children = new ArrayList<>();
            for (Leaf l : p.nodes()) {
                Map<String, Object> child = new LinkedHashMap<>();
                child.put("id", "node_" + l.name());
                child.put("name", l.name());
                child.put("host", l.host());
                child.put("port", portValue(l.port()));
                child.put("is_proxy", false);
                child.put("proxy_id", p.name());
                String state = nodes.leafState(l.name());
                if (state != null) {
                    child.put("state", state);
                }
                children.add(child);
            }
            proxy.put("children", children);
            out.add(proxy);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", out);
        body.put("source", nodes.sourceDescription());
        body.put("loaded_at", tree.loadedAtMillis() == 0 ? null : Instant.ofEpochMilli(tree.loadedAtMillis()).toString());
        Double age = nodes.ageSeconds();
        body.put("age_seconds", age == null ? null : Math.round(age * 1000) / 1000.0);
        body.put("last_error", tree.lastError());
        return body;
    }

    private static Map<String, Object> proxiesBody(NodeTree tree) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProxyNode p : tree.proxies()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("host", p.host());
            m.put("port", portValue(p.port()));
            out.add(m);
        }
        return Map.of("proxies", out);
    }

    private static List<Map<String, Object>> leaves(List<Leaf> leaves) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Leaf l : leaves) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("host", l.host());
            m.put("port", portValue(l.port()));
            m.put("proxy_id", l.proxyId());
            out.add(m);
        }
        return out;
    }

    private static Optional<ProxyNode> find(NodeTree tree, String name) {
        return tree.proxies().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** TCP ports as JSON numbers (as the reference's local_proxy), socket paths as strings. */
    static Object portValue(String port) {
        if (port != null && !port.isEmpty() && port.chars().allMatch(Character::isDigit) && port.length() <= 9) {
            return Integer.parseInt(port);
        }
        return port;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t != t.getCause()) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
