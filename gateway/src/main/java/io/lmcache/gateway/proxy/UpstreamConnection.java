package io.lmcache.gateway.proxy;

import io.lmcache.common.client.HttpTarget;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * One pooled keep-alive connection to a node, and the last handler of its pipeline: it hands every event to the
 * exchange it currently serves, or (while idle in the pool) drops stray bytes and closes. Event-loop confined.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    final HttpTarget target;
    final String node;
    private final UpstreamPools.LoopPool pool;
    Channel channel;
    private UpstreamListener listener;
    /** True when taken from the pool rather than freshly opened: only such a connection may turn out dead. */
    boolean reused;
    long idleSinceNanos;

    UpstreamConnection(HttpTarget target, String node, UpstreamPools.LoopPool pool) {
        this.target = target;
        this.node = node;
        this.pool = pool;
    }

    void attach(UpstreamListener l) {
        this.listener = l;
    }

    /** Ends the current exchange: back to the pool if {@code reusable}, else closed. */
    void release(boolean reusable) {
        listener = null;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        if (reusable && channel.isActive()) {
            pool.release(this);
        } else {
            channel.close();
        }
    }

    /** Ends the current exchange and closes the connection, which is in an unknown state. */
    void abort() {
        listener = null;
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l != null && msg instanceof HttpObject http) {
            l.onResponseObject(http);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close(); // bytes nobody asked for: the connection is out of step
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener l = listener;
        listener = null;
        ctx.close();
        if (l != null) {
            l.onUpstreamClosed(cause);
        }
    }
}
