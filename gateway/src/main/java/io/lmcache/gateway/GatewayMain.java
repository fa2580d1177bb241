package io.lmcache.gateway;

import io.lmcache.common.cli.DurationConverter;
import io.lmcache.common.cli.Durations;
import io.lmcache.common.cli.LogLevels;
import io.lmcache.common.cli.VersionProvider;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.api.GatewayHeartbeat;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.demo.DemoCommand;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.nodes.NodeDirectories;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.prometheus.client.CollectorRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar lmcache-gateway.jar}: the command line of the gateway, with the reference's flags and defaults
 * plus the gateway's own. Exit codes: 0 after a clean shutdown, 2 for invalid options (with a one-line reason on
 * stderr), 1 when the server cannot start (e.g. the port is taken).
 */
@Command(name = "lmcache-gateway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpWidth = 110, subcommands = DemoCommand.class,
        description = {
            "One dashboard, API and Prometheus scrape target for a fleet of LMCache MP cache servers.",
            "",
            "Node source, first one given wins: --node-supplier-url or --coordinator-url, then --nodes, then --config.",
            "With none, the gateway serves the discovery endpoints itself (/lmcache_heartbeat, /lmcache_infos,",
            "/lmcache_deregister) and lists the nodes that send it heartbeats.",
            ""},
        footer = {"", "Durations: 500ms, 5s, 2m, 1h, or bare seconds (30).",
            "Example: lmcache-gateway --port 8000 --node-supplier-url http://discovery:5000/lmcache_infos"})
public final class GatewayMain implements Callable<Integer> {
    static final int EXIT_INVALID = 2;
    static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", paramLabel = "HOST",
            description = "Address to listen on; also the host of local_proxy with --nodes (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT",
            description = "Port to listen on; also the port reported in the heartbeat's api_address (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--node-supplier-url", paramLabel = "URL",
            description = "Discovery endpoint listing nodes, e.g. http://host:5000/lmcache_infos. Each address is asked "
                    + "for /api/nodes: a gateway contributes its leaves (cascade), anything else is its own leaf.")
    String nodeSupplierUrl;

    @Option(names = "--coordinator-url", paramLabel = "URL",
            description = "Base URL of an LMCache MP coordinator; GET {base}/instances, each instance becomes node mp_<id>.")
    String coordinatorUrl;

    @Option(names = "--nodes", paramLabel = "JSON",
            description = "Inline JSON array of nodes, e.g. '[{\"name\":\"n1\",\"host\":\"127.0.0.1\",\"port\":8001}]'. "
                    + "Ports are numbers or strings; a port containing / is a Unix socket path. Listed under local_proxy.")
    String nodes;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON file with an array of nodes: flat {name,host,port} entries or proxies with a \"nodes\" array.")
    String configFile;

    @Option(names = "--refresh-interval", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How old the node tree may get before a read refreshes it in the background (default: ${DEFAULT-VALUE}).")
    Duration refreshInterval;

    @Option(names = "--heartbeat-url", paramLabel = "URL",
            description = "Register this gateway with a discovery service, e.g. http://host:5000/lmcache_heartbeat.")
    String heartbeatUrl;

    @Option(names = "--heartbeat-interval", defaultValue = "30", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Time between heartbeats (default: ${DEFAULT-VALUE} s).")
    Duration heartbeatInterval;

    @Option(names = "--heartbeat-initial-delay", defaultValue = "0", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Delay before the first heartbeat (default: ${DEFAULT-VALUE} s).")
    Duration heartbeatInitialDelay;

    @Option(names = "--report-host", paramLabel = "HOST",
            description = "Host put into the heartbeat's api_address instead of the auto-detected IPv4 address.")
    String reportHost;

    @Option(names = "--no-http",
            description = "Do not serve HTTP; only send heartbeats, until SIGTERM.")
    boolean noHttp;

    @Option(names = "--connect-timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Connect timeout to nodes and discovery; also the wait between bytes of node-list answers (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--response-timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Wait for a proxied response's head (504 after it); also bounds one node-list load (default: ${DEFAULT-VALUE}).")
    Duration responseTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Close proxied connections idle this long; 0 disables (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--metrics-timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Deadline of one node's /metrics scrape (default: ${DEFAULT-VALUE}).")
    Duration metricsTimeout;

    @Option(names = "--metrics-concurrency", defaultValue = "32", paramLabel = "N",
            description = "Nodes scraped at once for /metrics (default: ${DEFAULT-VALUE}).")
    int metricsConcurrency;

    @Option(names = "--max-connections-per-node", defaultValue = "64", paramLabel = "N",
            description = "Upstream connections to one node, across all event loops; a request finding none free waits up to --connect-timeout (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerNode;

    @Option(names = "--max-hops", defaultValue = "4", paramLabel = "N",
            description = "Gateways a proxied request may pass through before it is refused (default: ${DEFAULT-VALUE}).")
    int maxHops;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "KIND",
            description = "Network transport: auto, epoll, io_uring or nio (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--io-threads", defaultValue = "0", paramLabel = "N",
            description = "Event-loop threads; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--discovery-ttl", defaultValue = "90s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Embedded discovery: forget a node this long after its last heartbeat (default: ${DEFAULT-VALUE}).")
    Duration discoveryTtl;

    @Option(names = "--discovery-max-nodes", defaultValue = "10000", paramLabel = "N",
            description = "Embedded discovery: most nodes registered at once (default: ${DEFAULT-VALUE}).")
    int discoveryMaxNodes;

    @Option(names = "--log-level", defaultValue = "warning", paramLabel = "LEVEL",
            description = "Log level: " + LogLevels.CHOICES + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        return new CommandLine(new GatewayMain());
    }

    /** The validated configuration of the parsed options; {@link IllegalArgumentException} when invalid. */
    GatewayConfig toConfig() {
        return GatewayConfig.defaults().toBuilder()
                .host(host).port(port)
                .nodeSupplierUrl(nodeSupplierUrl).coordinatorUrl(coordinatorUrl)
                .nodesJson(nodes).configFile(configFile)
                .heartbeatUrl(heartbeatUrl).heartbeatInterval(heartbeatInterval)
                .heartbeatInitialDelay(heartbeatInitialDelay).reportHost(reportHost)
                .logLevel(logLevel).noHttp(noHttp)
                .refreshInterval(refreshInterval).connectTimeout(connectTimeout).responseTimeout(responseTimeout)
                .idleTimeout(idleTimeout).metricsTimeout(metricsTimeout).metricsConcurrency(metricsConcurrency)
                .maxConnectionsPerNode(maxConnectionsPerNode).maxHops(maxHops).transport(transport)
                .ioThreads(ioThreads).discoveryTtl(discoveryTtl).discoveryMaxNodes(discoveryMaxNodes)
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        GatewayConfig config;
        try {
            config = toConfig();
            NodeDirectories.checkStaticSource(config);
        } catch (IllegalArgumentException e) {
            err.println("lmcache-gateway: " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        LogLevels.apply(config.logLevel());
        return config.noHttp() ? runHeartbeatOnly(config, err) : runServer(config, err);
    }

    private static int runServer(GatewayConfig config, PrintWriter err) throws InterruptedException {
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IllegalArgumentException e) {
            err.println("lmcache-gateway: " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        } catch (RuntimeException e) {
            err.println("lmcache-gateway: cannot start: " + e);
            err.flush();
            return EXIT_FAILED;
        }
        String base = "http://" + config.host() + ":" + gateway.port();
        System.out.println("Monitoring service running at " + base);
        System.out.println("Node management: " + base + "/static/index.html");
        System.out.println("Node source: " + gateway.services().nodes().sourceDescription());
        printHeartbeat(config);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down");
            System.out.flush();
            gateway.close(); // stops the heartbeat first (deregisters), then the server
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code --no-http}: only the heartbeat (with the node list for nodes_count and version), until SIGTERM. */
    private static int runHeartbeatOnly(GatewayConfig config, PrintWriter err) throws InterruptedException {
        GatewayConfig effective = config.embeddedDiscovery() ? config.toBuilder().nodesJson("[]").build() : config;
        Transport transport = Transport.select(effective.transport());
        HttpFetcher fetcher = new HttpFetcher(transport);
        SelfAddress self = new SelfAddress(effective.host(), effective.port());
        NodeDirectory directory;
        try {
            directory = NodeDirectories.create(effective, fetcher, null,
                    new GatewayMetrics(new CollectorRegistry(true)), self);
        } catch (IllegalArgumentException e) {
            fetcher.close();
            err.println("lmcache-gateway: " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        directory.start();
        GatewayHeartbeat heartbeat = new GatewayHeartbeat(fetcher, effective, self, directory);
        printHeartbeat(effective);
        if (effective.heartbeatUrl() != null) {
            heartbeat.start(effective.heartbeatUrl(), effective.heartbeatInitialDelay(), effective.heartbeatInterval());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            heartbeat.close();
            fetcher.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
        return 0;
    }

    private static void printHeartbeat(GatewayConfig config) {
        if (config.heartbeatUrl() == null) {
            System.out.println("Heartbeat URL not configured, heartbeat disabled");
        } else {
            System.out.println("Heartbeat to " + config.heartbeatUrl() + " every "
                    + Durations.format(config.heartbeatInterval()) + " as http://"
                    + (config.reportHost() != null ? config.reportHost() : "<local IP>") + ":" + config.port());
        }
    }
}
