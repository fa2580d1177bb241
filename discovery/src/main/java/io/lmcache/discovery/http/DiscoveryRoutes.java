package io.lmcache.discovery.http;

import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.discovery.registry.NodeEntry;
import io.lmcache.discovery.registry.RejectedException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds the discovery endpoints to a router, so the standalone discovery server and the gateway's embedded discovery
 * serve the same code. It adds neither {@code /health} nor {@code /metrics}: each server has its own.
 *
 * <ul>
 *   <li>{@code GET /lmcache_heartbeat} and {@code GET /heartbeat}: query {@code api_address}, {@code pid},
 *       {@code version}, {@code other_info} → {@code {"status":"success"}}; 400 for a missing or malformed address,
 *       a non-integer pid or an oversized field, 429 when {@code --max-nodes} are registered.</li>
 *   <li>{@code GET /lmcache_infos[?hour=N|?minute=N]}: the live nodes (see {@link InfosRenderer}); with a filter, only
 *       those that reported within the last N hours or minutes ({@code hour} wins).</li>
 *   <li>{@code GET} or {@code DELETE /lmcache_deregister?api_address=URL} → {@code {"status":"success"}}, idempotent.</li>
 * </ul>
 */
public final class DiscoveryRoutes {
    private static final Map<String, String> SUCCESS = Map.of("status", "success");

    private DiscoveryRoutes() {
    }

    public static void register(Router router, DiscoveryRegistry registry) {
        Router.Handler heartbeat = ex -> heartbeat(ex, registry);
        Router.Handler deregister = ex -> deregister(ex, registry);
        router.get("/lmcache_heartbeat", heartbeat)
                .get("/heartbeat", heartbeat)
                .get("/lmcache_infos", ex -> infos(ex, registry))
                .get("/lmcache_deregister", deregister)
                .delete("/lmcache_deregister", deregister);
    }

    private static void heartbeat(Exchange ex, DiscoveryRegistry registry) {
        Map<String, List<String>> query = query(ex);
        if (query == null) {
            return;
        }
        try {
            registry.heartbeat(first(query, "api_address"), first(query, "pid"), first(query, "version"),
                    first(query, "other_info"));
            ex.json(HttpResponseStatus.OK, SUCCESS);
        } catch (RejectedException e) {
            ex.detail(HttpResponseStatus.valueOf(e.reason().httpStatus()), e.getMessage());
        }
    }

    private static void deregister(Exchange ex, DiscoveryRegistry registry) {
        Map<String, List<String>> query = query(ex);
        if (query == null) {
            return;
        }
        try {
            registry.deregister(first(query, "api_address"));
            ex.json(HttpResponseStatus.OK, SUCCESS);
        } catch (RejectedException e) {
            ex.detail(HttpResponseStatus.valueOf(e.reason().httpStatus()), e.getMessage());
        }
    }

    private static void infos(Exchange ex, DiscoveryRegistry registry) {
        Map<String, List<String>> query = query(ex);
        if (query == null) {
            return;
        }
        long windowNanos;
        try {
            Long hours = nonNegativeInt(first(query, "hour"), "hour");
            Long minutes = nonNegativeInt(first(query, "minute"), "minute");
            windowNanos = hours != null ? TimeUnit.HOURS.toNanos(hours)
                    : minutes != null ? TimeUnit.MINUTES.toNanos(minutes) : -1;
        } catch (IllegalArgumentException e) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        List<NodeEntry> entries = registry.snapshot();
        if (windowNanos >= 0) {
            entries = entries.stream().filter(e -> e.sinceLastReportNanos() <= windowNanos).toList();
        }
        ByteBuf body = ex.ctx().alloc().buffer(256 + entries.size() * 400);
        try {
            InfosRenderer.render(entries, registry.zone(), body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        ex.respond(Responses.of(HttpResponseStatus.OK, Responses.JSON, body));
    }

    /** The decoded query, or null after answering 400 when it is not valid percent-encoding. */
    private static Map<String, List<String>> query(Exchange ex) {
        try {
            return ex.query();
        } catch (IllegalArgumentException e) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "Malformed query string");
            return null;
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Null when absent or empty (the reference ignored it then); otherwise a non-negative integer or a 400. */
    private static Long nonNegativeInt(String raw, String name) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < 0 || v > 1_000_000) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
    }
}
