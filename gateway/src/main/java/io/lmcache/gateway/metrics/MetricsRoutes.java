package io.lmcache.gateway.metrics;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;

/** CONTRACT STUB (the metrics work implements it): adds {@code GET /metrics} (fan-out and lossless merge). */
public final class MetricsRoutes {
    private MetricsRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
    }
}
