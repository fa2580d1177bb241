package io.lmcache.common.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates bodies of local endpoints up to a limit and answers a larger one with
 * {@code 413 {"detail": "Request body too large (limit N bytes)"}}, then closes (the rest of the body is unread).
 */
public final class LocalBodyAggregator extends HttpObjectAggregator {
    private final int maxBytes;

    public LocalBodyAggregator(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(Responses.closing(Responses.detail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body too large (limit " + maxBytes + " bytes)"))).addListener(ChannelFutureListener.CLOSE);
    }
}
