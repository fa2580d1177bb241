package io.lmcache.gateway.api;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;

/**
 * CONTRACT STUB (the node-tree work implements it): /health, /api/nodes, /api/proxies..., /api/heartbeat/...
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
    }
}
