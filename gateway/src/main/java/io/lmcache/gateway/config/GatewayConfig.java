package io.lmcache.gateway.config;

import io.lmcache.common.cli.LogLevels;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Every setting of a gateway process, immutable and validated once at start. Built from the command line by
 * {@code GatewayMain}; tests build it directly with {@link #defaults()} and {@link #toBuilder()} (or the
 * {@code with...} copies).
 *
 * <p>Validation (the constructor throws {@link IllegalArgumentException} with a message fit for an operator, which
 * {@code GatewayMain} turns into exit code 2): host not blank; port 0–65535 (0 picks a free port); the supplier,
 * coordinator and heartbeat URLs are absolute {@code http://} URLs with a host; timeouts, intervals and the TTL are
 * positive (the heartbeat's initial delay and the idle timeout may be zero, zero idle meaning "no idle timeout");
 * hop, concurrency and connection bounds at least 1; a known transport and log level.
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

    private static final Set<String> TRANSPORTS = Set.of("auto", "epoll", "io_uring", "nio");

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is out of range 0-65535");
        }
        nodeSupplierUrl = httpUrl("--node-supplier-url", nodeSupplierUrl);
        coordinatorUrl = httpUrl("--coordinator-url", coordinatorUrl);
        heartbeatUrl = httpUrl("--heartbeat-url", heartbeatUrl);
        positive("--heartbeat-interval", heartbeatInterval);
        notNegative("--heartbeat-initial-delay", heartbeatInitialDelay);
        if (reportHost != null && reportHost.isBlank()) {
            reportHost = null; // the reference treats an empty --report-host as unset
        }
        if (logLevel == null) {
            throw new IllegalArgumentException("--log-level is required");
        }
        LogLevels.parse(logLevel);
        positive("--refresh-interval", refreshInterval);
        positive("--connect-timeout", connectTimeout);
        positive("--response-timeout", responseTimeout);
        notNegative("--idle-timeout", idleTimeout);
        positive("--metrics-timeout", metricsTimeout);
        atLeastOne("--metrics-concurrency", metricsConcurrency);
        atLeastOne("--max-connections-per-node", maxConnectionsPerNode);
        atLeastOne("--max-hops", maxHops);
        if (transport == null || !TRANSPORTS.contains(transport.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--transport must be one of auto, epoll, io_uring, nio (got '"
                    + transport + "')");
        }
        transport = transport.toLowerCase(Locale.ROOT);
        if (ioThreads < 0) {
            throw new IllegalArgumentException("--io-threads must be 0 (one per core) or more");
        }
        positive("--discovery-ttl", discoveryTtl);
        atLeastOne("--discovery-max-nodes", discoveryMaxNodes);
    }

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

    /**
     * The node source actually used, following the reference's precedence: supplier or coordinator URL first, then
     * {@code --nodes}, then {@code --config}; embedded discovery when none is given.
     */
    public NodeSourceKind nodeSource() {
        if (nodeSupplierUrl != null) {
            return NodeSourceKind.SUPPLIER;
        }
        if (coordinatorUrl != null) {
            return NodeSourceKind.COORDINATOR;
        }
        if (nodesJson != null) {
            return NodeSourceKind.NODES;
        }
        if (configFile != null) {
            return NodeSourceKind.CONFIG_FILE;
        }
        return NodeSourceKind.EMBEDDED;
    }

    public GatewayConfig withListen(String newHost, int newPort) {
        return toBuilder().host(newHost).port(newPort).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Where the node tree comes from. */
    public enum NodeSourceKind {
        SUPPLIER, COORDINATOR, NODES, CONFIG_FILE, EMBEDDED
    }

    private static String httpUrl(String option, String url) {
        if (url == null) {
            return null;
        }
        String trimmed = url.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " '" + url + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme)) {
            throw new IllegalArgumentException(option + " '" + url + "' must be an http:// URL"
                    + ("https".equals(scheme) ? " (https is not supported for control-plane calls)" : ""));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException(option + " '" + url + "' has no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException(option + " '" + url + "' has an invalid port");
        }
        return trimmed;
    }

    private static void positive(String option, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be a positive duration (e.g. 500ms, 5s, 2m)");
        }
    }

    private static void notNegative(String option, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be zero or a positive duration");
        }
    }

    private static void atLeastOne(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1 (got " + value + ")");
        }
    }

    /** Mutable copy-builder; {@link #build()} validates. */
    public static final class Builder {
        private String host;
        private int port;
        private String nodeSupplierUrl;
        private String coordinatorUrl;
        private String nodesJson;
        private String configFile;
        private String heartbeatUrl;
        private Duration heartbeatInterval;
        private Duration heartbeatInitialDelay;
        private String reportHost;
        private String logLevel;
        private boolean noHttp;
        private Duration refreshInterval;
        private Duration connectTimeout;
        private Duration responseTimeout;
        private Duration idleTimeout;
        private Duration metricsTimeout;
        private int metricsConcurrency;
        private int maxConnectionsPerNode;
        private int maxHops;
        private String transport;
        private int ioThreads;
        private Duration discoveryTtl;
        private int discoveryMaxNodes;

        private Builder(GatewayConfig c) {
            host = c.host;
            port = c.port;
            nodeSupplierUrl = c.nodeSupplierUrl;
            coordinatorUrl = c.coordinatorUrl;
            nodesJson = c.nodesJson;
            configFile = c.configFile;
            heartbeatUrl = c.heartbeatUrl;
            heartbeatInterval = c.heartbeatInterval;
            heartbeatInitialDelay = c.heartbeatInitialDelay;
            reportHost = c.reportHost;
            logLevel = c.logLevel;
            noHttp = c.noHttp;
            refreshInterval = c.refreshInterval;
            connectTimeout = c.connectTimeout;
            responseTimeout = c.responseTimeout;
            idleTimeout = c.idleTimeout;
            metricsTimeout = c.metricsTimeout;
            metricsConcurrency = c.metricsConcurrency;
            maxConnectionsPerNode = c.maxConnectionsPerNode;
            maxHops = c.maxHops;
            transport = c.transport;
            ioThreads = c.ioThreads;
            discoveryTtl = c.discoveryTtl;
            discoveryMaxNodes = c.discoveryMaxNodes;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder nodeSupplierUrl(String v) { nodeSupplierUrl = v; return this; }
        public Builder coordinatorUrl(String v) { coordinatorUrl = v; return this; }
        public Builder nodesJson(String v) { nodesJson = v; return this; }
        public Builder configFile(String v) { configFile = v; return this; }
        public Builder heartbeatUrl(String v) { heartbeatUrl = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder heartbeatInitialDelay(Duration v) { heartbeatInitialDelay = v; return this; }
        public Builder reportHost(String v) { reportHost = v; return this; }
        public Builder logLevel(String v) { logLevel = v; return this; }
        public Builder noHttp(boolean v) { noHttp = v; return this; }
        public Builder refreshInterval(Duration v) { refreshInterval = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder responseTimeout(Duration v) { responseTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder metricsTimeout(Duration v) { metricsTimeout = v; return this; }
        public Builder metricsConcurrency(int v) { metricsConcurrency = v; return this; }
        public Builder maxConnectionsPerNode(int v) { maxConnectionsPerNode = v; return this; }
        public Builder maxHops(int v) { maxHops = v; return this; }
        public Builder transport(String v) { transport = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder discoveryTtl(Duration v) { discoveryTtl = v; return this; }
        public Builder discoveryMaxNodes(int v) { discoveryMaxNodes = v; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(host, port, nodeSupplierUrl, coordinatorUrl, nodesJson, configFile, heartbeatUrl,
                    heartbeatInterval, heartbeatInitialDelay, reportHost, logLevel, noHttp, refreshInterval,
                    connectTimeout, responseTimeout, idleTimeout, metricsTimeout, metricsConcurrency,
                    maxConnectionsPerNode, maxHops, transport, ioThreads, discoveryTtl, discoveryMaxNodes);
        }
    }
}
