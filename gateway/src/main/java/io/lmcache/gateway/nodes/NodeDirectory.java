package io.lmcache.gateway.nodes;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the rest of the gateway knows of the fleet. Implementations never block the caller: they answer from the last
 * good tree and refresh in the background.
 */
public interface NodeDirectory {
    /** The last good tree (possibly {@link NodeTree#EMPTY}). */
    NodeTree tree();

    /** The route for a /proxy2 name: top-level proxies first, then children in order (reference §1.4). */
    Optional<Route> route(String nodeName);

    /** True if host:port (or host + socket path) names a registered proxy or leaf, compared as strings. */
    boolean isRegisteredTarget(String host, String port);

    /** One route per unique leaf (first wins by name), in tree order: what /metrics scrapes. */
    List<Route> leafRoutes();

    /** Seconds since the current tree was loaded, or null when no load has succeeded yet. */
    default Double ageSeconds() {
        NodeTree t = tree();
        return t.loadedAtMillis() == 0 ? null : Math.max(0, System.currentTimeMillis() - t.loadedAtMillis()) / 1000.0;
    }

    /** What the tree comes from, for logs and {@code /api/nodes} (e.g. {@code supplier http://...}). */
    default String sourceDescription() {
        return "unknown";
    }

    /** The discovery state of a leaf ("up", "stale") when its source knows it, else null. */
    default String leafState(String leafName) {
        return null;
    }

    /**
     * Re-probes one proxy's {@code /api/nodes} now. Completes (never exceptionally) with the new children, with
     * {@link ProxyRefresh#notFound()} for an unknown proxy, or with an error while the children stay as they were.
     */
    default CompletableFuture<ProxyRefresh> refreshProxy(String proxyName) {
        return CompletableFuture.completedFuture(ProxyRefresh.failed("refresh is not supported by this directory"));
    }

    /** Starts loading (the first load runs in the background); called once the gateway's port is known. */
    default void start() {
    }

    /** Waits at most {@code max} for the first load; true if it has completed. */
    default boolean awaitFirstLoad(Duration max) {
        return true;
    }
}
