package io.lmcache.gateway.nodes;

import java.util.List;
import java.util.Optional;

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
}
