package io.lmcache.discovery;

import io.lmcache.common.cli.DurationConverter;
import io.lmcache.common.cli.Durations;
import io.lmcache.common.cli.LogLevels;
import io.lmcache.common.cli.VersionProvider;
import io.lmcache.discovery.config.DiscoveryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar lmcache-discovery.jar}: the standalone heartbeat registry LMCache agents report to. */
@Command(name = "lmcache-discovery", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "LMCache discovery service. LMCache nodes (through their agents) send GET /lmcache_heartbeat; "
                + "dashboards read the live nodes from GET /lmcache_infos. A node is shown as stale after half the TTL "
                + "without a heartbeat and is dropped after the full TTL. Also serves GET|DELETE /lmcache_deregister, "
                + "/health and /metrics.%n")
public final class DiscoveryMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DiscoveryMain.class);

    @Option(names = "--host", defaultValue = DiscoveryConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + DiscoveryConfig.DEFAULT_PORT,
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ttl", defaultValue = "90s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Drop a node this long after its last heartbeat; it is shown as stale after half of it. "
                    + "E.g. 90s, 2m, 500ms or bare seconds (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--max-nodes", defaultValue = "" + DiscoveryConfig.DEFAULT_MAX_NODES,
            description = "Most nodes registered at once; heartbeats from further new addresses get 429 while "
                    + "registered nodes keep heartbeating (default: ${DEFAULT-VALUE}).")
    int maxNodes;

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "LEVEL",
            description = "One of " + LogLevels.CHOICES + ". Registrations, expiries and deregistrations are "
                    + "logged at info, rejected heartbeats at debug (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|io_uring|nio",
            description = "Network transport; auto prefers epoll and falls back to NIO (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Event-loop threads; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DiscoveryMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DiscoveryConfig config;
        try {
            LogLevels.apply(logLevel);
            config = new DiscoveryConfig(host, port, ttl, maxNodes, transport, ioThreads);
        } catch (IllegalArgumentException e) {
            System.err.println("lmcache-discovery: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        DiscoveryServer server;
        try {
            server = DiscoveryServer.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("lmcache-discovery: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // e.g. the port is taken: say so in one line, not with a stack trace
            System.err.println("lmcache-discovery: cannot listen on " + host + ":" + port + ": " + e);
            return CommandLine.ExitCode.SOFTWARE;
        }
        log.info("discovery service ready on {}:{} (ttl {}, stale after {}, max {} nodes)", config.host(),
                server.port(), Durations.format(config.ttl()), Durations.format(server.registry().staleAfter()),
                config.maxNodes());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutdown requested; closing the discovery service");
            server.close();
            log.info("discovery service stopped");
            stopped.countDown();
        }, "discovery-shutdown"));
        stopped.await();
        return CommandLine.ExitCode.OK;
    }
}
