package io.lmcache.discovery.http;

import io.lmcache.common.http.Router;
import io.lmcache.discovery.registry.DiscoveryRegistry;

/**
 * CONTRACT STUB: adds the discovery endpoints (/lmcache_heartbeat, /heartbeat, /lmcache_infos, /lmcache_deregister)
 * to a router, so the standalone discovery server and the gateway's embedded discovery serve the same code.
 */
public final class DiscoveryRoutes {
    private DiscoveryRoutes() {
    }

    public static void register(Router router, DiscoveryRegistry registry) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
