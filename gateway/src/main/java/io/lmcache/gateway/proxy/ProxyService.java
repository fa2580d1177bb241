package io.lmcache.gateway.proxy;

import io.lmcache.gateway.GatewayServices;
import io.lmcache.gateway.http.ReadGate;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.netty.channel.Channel;

/**
 * The streaming reverse proxy behind {@code /proxy2/{node}/{path}} and {@code /proxy/{host}/{port|socket}/{path}}:
 * target resolution and the upstream connection pools, shared by all client connections of one gateway.
 */
public final class ProxyService {
    final ProxyTargets targets;
    final UpstreamPools pools;
    final GatewayMetrics metrics;
    final long responseTimeoutMillis;

    public ProxyService(GatewayServices services) {
        this.targets = new ProxyTargets(services.nodes(), new SelfAddressCheck(services.self()),
                services.config().maxHops());
        this.pools = new UpstreamPools(services.config().connectTimeout().toMillis(),
                services.config().maxConnectionsPerNode(), UpstreamPools.IDLE_EVICT_MILLIS, services.metrics());
        this.metrics = services.metrics();
        this.responseTimeoutMillis = services.config().responseTimeout().toMillis();
    }

    /** True for the request targets this proxy serves; everything else is a local route. */
    public static boolean isProxyPath(String uri) {
        return uri.startsWith(ProxyTargets.PROXY2_PREFIX) || uri.startsWith(ProxyTargets.PROXY_PREFIX);
    }

    /** The proxy side of a new client connection. */
    public ClientProxy newClient(Channel client, ReadGate gate) {
        return new ClientProxy(this, client, gate);
    }

    /** Idle pooled upstream connections (for tests and diagnostics). */
    public int idleUpstreamConnections() {
        return pools.idleConnections();
    }
}
