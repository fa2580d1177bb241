package io.lmcache.gateway.metrics;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Adds {@code GET /metrics}: every leaf's metrics merged losslessly into one Prometheus 0.0.4 exposition, plus the
 * gateway's own families; {@code ?format=concat} gives the original's concatenated blocks. See {@link MetricsEndpoint}.
 */
public final class MetricsRoutes {
    /** Parsing and rendering run on these few threads, never on an event loop. */
    private static final int WORKER_THREADS = 2;
    private static final long WORKER_IDLE_SECONDS = 30;

    private MetricsRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
        register(router, services, MetricsLimits.DEFAULTS);
    }

    public static void register(Router router, GatewayServices services, MetricsLimits limits) {
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, WORKER_IDLE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("metrics-merge", true));
        workers.allowCoreThreadTimeOut(true); // idle threads go away, so a closed gateway leaves nothing running
        MetricsEndpoint endpoint = new MetricsEndpoint(services, limits, workers);
        router.get("/metrics", endpoint::handle);
    }
}
