package io.lmcache.agent.sidecar;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The heartbeat sidecar's validated configuration.
 *
 * @param heartbeatUrl discovery heartbeat endpoint, e.g. {@code http://discovery:5000/lmcache_heartbeat}
 * @param interval     between beats (fixed rate)
 * @param initialDelay before the first beat
 * @param reportHost   host written into api_address, or null to auto-detect
 * @param port         the MP server's HTTP port written into api_address
 * @param nodes        the nodes probed for /version and counted in nodes_count
 * @param pid          the pid reported (the MP server's)
 * @param transport    I/O transport of the client
 */
public record SidecarSettings(String heartbeatUrl, Duration interval, Duration initialDelay, String reportHost,
                              int port, List<NodeSpec> nodes, long pid, String transport) {
    public SidecarSettings {
        Objects.requireNonNull(heartbeatUrl, "heartbeatUrl");
        nodes = List.copyOf(nodes);
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("--heartbeat-interval must be positive");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is out of range");
        }
        reportHost = reportHost == null || reportHost.isBlank() ? null : reportHost.trim();
    }
}
