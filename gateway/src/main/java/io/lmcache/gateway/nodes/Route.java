package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpTarget;

/**
 * How to reach a named node: connect to {@code target} and prefix the forwarded path with {@code pathPrefix}
 * ("" for a direct node, {@code /proxy2/<leaf>} for a leaf reached through its child gateway).
 */
public record Route(String nodeName, HttpTarget target, String pathPrefix) {
}
