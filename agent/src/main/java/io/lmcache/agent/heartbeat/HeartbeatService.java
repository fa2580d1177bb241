package io.lmcache.agent.heartbeat;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CONTRACT STUB (to be implemented by the agent work): sends heartbeats as the reference's HeartbeatService does.
 * Keep these public signatures (the gateway reuses this class); add whatever else is needed.
 */
public final class HeartbeatService implements AutoCloseable {
    /**
     * @param reportPort  the port put into api_address
     * @param reportHost  host for api_address, or null/empty to auto-detect a non-loopback IPv4
     * @param nodes       the live node list: probed for /version, counted for nodes_count
     * @param pid         pid reported (the MP server's, when known)
     */
    public HeartbeatService(HttpFetcher fetcher, int reportPort, String reportHost, Supplier<List<HttpTarget>> nodes,
                            long pid) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Starts beating; false (and no change) if already running. Never blocks. */
    public boolean start(String heartbeatUrl, Duration initialDelay, Duration interval) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Stops (deregistering from discovery when it was running); false if it was not running. Never blocks long. */
    public boolean stop() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** running, local_ip, startup_time, current_time, plus last success/failure. */
    public Map<String, Object> status() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
        stop();
    }
}
