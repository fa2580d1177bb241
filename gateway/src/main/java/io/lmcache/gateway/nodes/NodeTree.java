package io.lmcache.gateway.nodes;

import java.util.List;

/**
 * An immutable snapshot of the fleet. {@code loadedAtMillis} is wall-clock time of the load that produced it;
 * {@code lastError} is the error of the latest failed refresh after it (null when the latest refresh succeeded).
 */
public record NodeTree(List<ProxyNode> proxies, long loadedAtMillis, String lastError) {
    public static final NodeTree EMPTY = new NodeTree(List.of(), 0, null);

    public NodeTree {
        proxies = List.copyOf(proxies);
    }
}
