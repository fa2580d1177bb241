package io.lmcache.agent.sidecar;

import io.lmcache.agent.heartbeat.HeartbeatUrl;
import io.lmcache.common.cli.DurationConverter;
import io.lmcache.common.cli.LogLevels;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The heartbeat sidecar's flags: the reference frontend's {@code --no-http} heartbeat flags, so the MP plugin's
 * argument mapping ({@code plugin.frontend.<key>} becomes {@code --<key>}) works unchanged.
 */
@Command(name = "sidecar")
public final class SidecarOptions {
    @Option(names = "--heartbeat-url", paramLabel = "URL",
            description = "Discovery heartbeat endpoint (required), e.g. http://localhost:5000/lmcache_heartbeat.")
    String heartbeatUrl;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "30",
            converter = DurationConverter.class,
            description = "Time between heartbeats: bare seconds or 500ms, 3s, 2m (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--heartbeat-initial-delay", paramLabel = "DURATION", defaultValue = "0",
            converter = DurationConverter.class,
            description = "Delay before the first heartbeat (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInitialDelay;

    @Option(names = "--report-host", paramLabel = "HOST",
            description = "Host written into api_address instead of the auto-detected non-loopback IPv4 "
                    + "(empty = auto-detect).")
    String reportHost;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "The MP server's HTTP port, written into api_address (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "HOST", hidden = true,
            description = "Accepted for compatibility with the frontend's flags; unused.")
    String host;

    @Option(names = "--nodes", paramLabel = "JSON",
            description = "JSON list of {name, host, port} MP nodes (port a number, a string, or a Unix socket "
                    + "path): the first answering /version gives the reported version; their count is nodes_count.")
    String nodes;

    @Option(names = "--pid", paramLabel = "PID",
            description = "Pid to report (the MP server's; default: this process's parent in plugin mode, else this"
                    + " process).")
    Long pid;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "One of " + LogLevels.CHOICES + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "nio",
            description = "I/O transport: auto, epoll, io_uring or nio (default: ${DEFAULT-VALUE}; nio loads no "
                    + "native library, which keeps the sidecar small).")
    String transport;

    @Option(names = "--no-http", description = "Accepted and ignored: the sidecar never serves HTTP.")
    boolean noHttp;

    public String logLevel() {
        return logLevel;
    }

    /** Validates into settings; {@code defaultPid} applies when {@code --pid} is absent. */
    public SidecarSettings toSettings(long defaultPid) {
        if (heartbeatUrl == null || heartbeatUrl.isBlank()) {
            throw new IllegalArgumentException("--heartbeat-url is required");
        }
        HeartbeatUrl.parse(heartbeatUrl);
        LogLevels.parse(logLevel);
        List<NodeSpec> nodeList = nodes == null || nodes.isBlank() ? List.of() : NodeSpec.parseList(nodes);
        long p = pid != null ? pid : defaultPid;
        if (p <= 0) {
            throw new IllegalArgumentException("--pid must be positive");
        }
        return new SidecarSettings(heartbeatUrl.trim(), heartbeatInterval, heartbeatInitialDelay, reportHost, port,
                nodeList, p, transport);
    }
}
