package io.lmcache.gateway.config;

import java.time.Duration;

/**
 * Every setting of a gateway process, immutable and validated once at start. Built from the command line by
 * {@code GatewayMain}; tests build it directly with {@link #defaults()} and the {@code with...} copies they need.
 *
 * <p>CONTRACT (skeleton): fields may be added; keep the existing names and meanings.
 */
public record GatewayConfig(
        String host,
        int port,
        String nodeSupplierUrl,      // null unless --node-supplier-url
        String coordinatorUrl,       // null unless --coordinator-url
        String nodesJson,            // null unless --nodes
        String configFile,           // null unless --config
        String heartbeatUrl,         // null unless --heartbeat-url
        Duration heartbeatInterval,
        Duration heartbeatInitialDelay,
        String reportHost,           // null or empty: auto-detect
        String logLevel,
        boolean noHttp,
        Duration refreshInterval,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        Duration metricsTimeout,
        int metricsConcurrency,
        int maxConnectionsPerNode,
        int maxHops,
        String transport,            // auto | epoll | io_uring | nio
        int ioThreads,               // 0 = one per core
        Duration discoveryTtl,       // embedded discovery
        int discoveryMaxNodes) {

    public static GatewayConfig defaults() {
        return new GatewayConfig("0.0.0.0", 8000, null, null, null, null, null,
                Duration.ofSeconds(30), Duration.ZERO, null, "warning", false,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 32, 64, 4, "auto", 0, Duration.ofSeconds(90), 10_000);
    }

    /** True when no node source was given: the gateway then serves discovery itself and uses it (embedded mode). */
    public boolean embeddedDiscovery() {
        return nodeSupplierUrl == null && coordinatorUrl == null && nodesJson == null && configFile == null;
    }

    public GatewayConfig withListen(String newHost, int newPort) {
        return new GatewayConfig(newHost, newPort, nodeSupplierUrl, coordinatorUrl, nodesJson, configFile, heartbeatUrl,
                heartbeatInterval, heartbeatInitialDelay, reportHost, logLevel, noHttp, refreshInterval, connectTimeout,
                responseTimeout, idleTimeout, metricsTimeout, metricsConcurrency, maxConnectionsPerNode, maxHops,
                transport, ioThreads, discoveryTtl, discoveryMaxNodes);
    }
}
