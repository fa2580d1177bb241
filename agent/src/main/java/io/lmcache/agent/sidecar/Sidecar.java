package io.lmcache.agent.sidecar;

import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.net.Transport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the heartbeat until SIGTERM or SIGINT, then deregisters and returns exit code 0 (the MP plugin launcher stops
 * plugins with SIGTERM and logs their exit code).
 */
public final class Sidecar {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

    private Sidecar() {
    }

    public static int run(SidecarSettings settings) throws InterruptedException {
        Termination stop = Termination.install();
        List<HttpTarget> targets = settings.nodes().stream().map(NodeSpec::target).toList();
        try (HttpFetcher fetcher = new HttpFetcher(Transport.select(settings.transport()));
             HeartbeatService heartbeat = new HeartbeatService(fetcher, settings.port(), settings.reportHost(),
                     () -> targets, settings.pid())) {
            log.info("API address: {} (pid {}, {} node(s))", heartbeat.apiAddress(), heartbeat.pid(), targets.size());
            heartbeat.start(settings.heartbeatUrl(), settings.initialDelay(), settings.interval());
            stop.await();
            heartbeat.stop();
        }
        return 0;
    }
}
