package io.lmcache.gateway.demo;

import io.lmcache.common.cli.DurationConverter;
import io.lmcache.common.cli.LogLevels;
import io.lmcache.common.cli.VersionProvider;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lmcache-gateway demo}: the gateway with embedded discovery plus simulated MP nodes that register through real
 * heartbeats, so a newcomer sees a populated, moving dashboard within seconds. Runs until Ctrl-C or SIGTERM, then
 * stops everything (heartbeats deregister first).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Start the gateway with embedded discovery and simulated MP nodes, and print the dashboard URL.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the gateway and the simulated nodes listen on (default: ${DEFAULT-VALUE}; "
                    + "use 0.0.0.0 to open the dashboard from other machines).")
    String host;

    @Option(names = "--port", defaultValue = "8000",
            description = "Port of the gateway and its dashboard (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--nodes", defaultValue = "3",
            description = "Number of simulated MP nodes, 0 to " + DemoFleet.MAX_NODES + " (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--heartbeat-interval", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often each simulated node sends its heartbeat (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--refresh-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often the gateway refreshes its node list from discovery (default: ${DEFAULT-VALUE}).")
    Duration refreshInterval;

    @Option(names = "--log-level", defaultValue = "warning",
            description = "Log level: debug, info, warning, error, critical (default: ${DEFAULT-VALUE}).")
    String logLevel;

    /** Exit code for options that cannot work (out-of-range values). */
    static final int EXIT_INVALID = 2;
    /** Exit code when the demo cannot start (e.g. the port is taken). */
    static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        DemoFleet.Settings settings;
        try {
            LogLevels.apply(logLevel);
            settings = new DemoFleet.Settings(host, port, nodes, heartbeatInterval, refreshInterval);
        } catch (IllegalArgumentException e) {
            err.println("lmcache-gateway demo: " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        DemoFleet fleet;
        try {
            fleet = DemoFleet.start(settings);
        } catch (IllegalArgumentException e) {
            err.println("lmcache-gateway demo: " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // a failed bind arrives as Netty's (checked) native IOException
            err.println("lmcache-gateway demo: cannot start: " + e.getMessage());
            err.flush();
            return EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stopped.countDown();
        }, "demo-shutdown"));
        PrintStream out = System.out;
        out.println("LMCache gateway demo: " + nodes + " simulated MP node(s) registering by heartbeat.");
        out.println("Dashboard: " + fleet.url());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
