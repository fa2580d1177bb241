package io.lmcache.gateway.nodes;

/**
 * A node that serves the MP API (or a cascaded gateway's leaf). {@code port} is a TCP port or a Unix socket path, as a
 * string. {@code proxyId} is the name of the proxy it was listed under, or null.
 */
public record Leaf(String name, String host, String port, String proxyId) {
}
