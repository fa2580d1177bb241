package io.lmcache.gateway.ui;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;

/** CONTRACT STUB (the dashboard work implements it): adds {@code GET /} and {@code GET /static/...}. */
public final class UiRoutes {
    private UiRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
    }
}
