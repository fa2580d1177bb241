package io.lmcache.discovery.config;

import java.time.Duration;

/**
 * The validated settings of a standalone discovery server.
 *
 * @param host       address to bind
 * @param port       TCP port (0 picks a free one)
 * @param ttl        expiry after a node's last heartbeat
 * @param maxNodes   bound on live registrations
 * @param transport  {@code auto|epoll|io_uring|nio}
 * @param ioThreads  event-loop threads (0: one per core)
 */
public record DiscoveryConfig(String host, int port, Duration ttl, int maxNodes, String transport, int ioThreads) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 5000;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(90);
    public static final int DEFAULT_MAX_NODES = 10_000;

    public DiscoveryConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (ttl == null || ttl.toMillis() < 1) {
            throw new IllegalArgumentException("--ttl must be at least 1ms");
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("--max-nodes must be at least 1, got " + maxNodes);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("--io-threads must not be negative, got " + ioThreads);
        }
        transport = transport == null ? "auto" : transport;
    }

    public static DiscoveryConfig defaults() {
        return new DiscoveryConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TTL, DEFAULT_MAX_NODES, "auto", 0);
    }
}
