package io.lmcache.agent.sim;

import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.agent.heartbeat.HeartbeatUrl;
import io.lmcache.agent.sidecar.Termination;
import io.lmcache.common.cli.DurationConverter;
import io.lmcache.common.cli.LogLevels;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.net.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lmcache-agent simulate}: starts N simulated MP servers, optionally each with its own heartbeat, prints one
 * line per node ({@code Simulated MP node <name> at http://<host>:<port>}) and runs until SIGTERM or SIGINT.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Runs simulated LMCache MP servers (status, metrics, version, env, ... that move over time), "
                + "for demos, tests and benchmarks.")
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the first node, the others follow; 0 picks free ports (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--names", paramLabel = "NAME", split = ",",
            description = "Node names, comma-separated (default: <name-prefix>-0, <name-prefix>-1, ...).")
    List<String> names;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", defaultValue = "sim",
            description = "Prefix of generated node names (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the first node's simulated workload; node i uses seed + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "Added before every answer, e.g. 20ms (default: ${DEFAULT-VALUE}).")
    Duration latency;

    @Option(names = "--failure-rate", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of requests answered 503, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--version-string", paramLabel = "VERSION", defaultValue = SimulatorOptions.DEFAULT_VERSION,
            description = "What /version reports (default: ${DEFAULT-VALUE}).")
    String versionString;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "1",
            description = "Event-loop threads per node (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "auto",
            description = "auto, epoll, io_uring or nio (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--socket-dir", paramLabel = "DIR",
            description = "If set, every node also listens on the Unix socket DIR/<name>.sock (as an MP server with "
                    + "http_socket_path).")
    java.nio.file.Path socketDir;

    @Option(names = "--heartbeat-url", paramLabel = "URL",
            description = "If set, every node announces itself to this discovery heartbeat endpoint.")
    String heartbeatUrl;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "30",
            converter = DurationConverter.class, description = "Time between heartbeats (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--report-host", paramLabel = "HOST",
            description = "Host in the nodes' api_address (default: --host, or the detected IPv4 if --host is a "
                    + "wildcard).")
    String reportHost;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "One of " + LogLevels.CHOICES + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        List<SimulatorOptions> nodes;
        try {
            LogLevels.apply(logLevel);
            nodes = plan();
            if (heartbeatUrl != null) {
                HeartbeatUrl.parse(heartbeatUrl);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Termination termination = Termination.install();
        List<SimulatedMpServer> servers = new ArrayList<>();
        List<HeartbeatService> beats = new ArrayList<>();
        HttpFetcher fetcher = heartbeatUrl == null ? null : new HttpFetcher(Transport.select("nio"));
        try {
            for (SimulatorOptions o : nodes) {
                SimulatedMpServer s = SimulatedMpServer.start(o);
                servers.add(s);
                System.out.println("Simulated MP node " + o.name() + " at http://" + o.host() + ":" + s.port()
                        + (s.socketPath() != null ? " and unix:" + s.socketPath() : ""));
                if (fetcher != null) {
                    HttpTarget self = HttpTarget.of(connectHost(o.host()), s.port());
                    HeartbeatService hb = new HeartbeatService(fetcher, s.port(), apiHost(), () -> List.of(self), 0);
                    hb.start(heartbeatUrl, Duration.ZERO, heartbeatInterval);
                    beats.add(hb);
                }
            }
            System.out.flush();
            termination.await();
        } finally {
            beats.parallelStream().forEach(HeartbeatService::stop);
            servers.forEach(SimulatedMpServer::close);
            if (fetcher != null) {
                fetcher.close();
            }
        }
        return 0;
    }

    private List<SimulatorOptions> plan() {
        int n = names != null && !names.isEmpty() ? names.size() : count;
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("--count must be between 1 and 1000");
        }
        if (basePort < 0 || basePort + n - 1 > 65535) {
            throw new IllegalArgumentException("--base-port " + basePort + " leaves no room for " + n + " node(s)");
        }
        List<SimulatorOptions> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = names != null && !names.isEmpty() ? names.get(i).trim() : namePrefix + "-" + i;
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--names must not contain empty names");
            }
            out.add(SimulatorOptions.builder().host(host).port(basePort == 0 ? 0 : basePort + i).name(name)
                    .seed(seed + i).latency(latency).failureRate(failureRate).version(versionString)
                    .transport(transport).ioThreads(ioThreads)
                    .socketPath(socketDir == null ? null : socketDir.resolve(name + ".sock")).build());
        }
        return out;
    }

    private static boolean wildcard(String h) {
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    }

    private static String connectHost(String bind) {
        return wildcard(bind) ? "127.0.0.1" : bind;
    }

    private String apiHost() {
        if (reportHost != null && !reportHost.isBlank()) {
            return reportHost;
        }
        return wildcard(host) ? null : host;
    }
}
