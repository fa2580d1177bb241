package io.lmcache.gateway.http;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.LocalBodyAggregator;
import io.lmcache.common.http.LocalHttpHandler;
import io.lmcache.common.http.RequestGuard;
import io.lmcache.common.http.StrictHttpServerCodec;
import io.lmcache.gateway.GatewayServices;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * CONTRACT STUB (the proxy work replaces the body): the inbound pipeline of the gateway. For now it serves local
 * routes only; the real one dispatches /proxy2 and /proxy to the streaming proxy.
 */
public final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final GatewayServices services;

    public GatewayChannelInitializer(GatewayServices services) {
        this.services = services;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("codec", new StrictHttpServerCodec(HttpLimits.DEFAULTS))
                .addLast("guard", new RequestGuard())
                .addLast("aggregator", new LocalBodyAggregator(HttpLimits.DEFAULT_MAX_LOCAL_BODY_BYTES))
                .addLast("router", new LocalHttpHandler(services.localRoutes()));
    }
}
