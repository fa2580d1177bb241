package io.lmcache.common.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves aggregated requests through a {@link Router}, one at a time per connection so that pipelined requests are
 * answered in order even when a handler answers later from another thread. Unknown paths get FastAPI's
 * {@code 404 {"detail":"Not Found"}}, wrong methods {@code 405 {"detail":"Method Not Allowed"}} with {@code Allow}.
 */
public final class LocalHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LocalHttpHandler.class);
    /** Pipelined requests held while one is being answered; beyond this the connection stops reading. */
    private static final int MAX_QUEUED_REQUESTS = 16;

    private final Router router;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean busy;
    /** True while reading is paused by this handler (never undo a pause another handler owns). */
    private boolean pausedReading;

    public LocalHttpHandler(Router router) {
        this.router = router;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (busy) {
            queued.add(request);
            if (queued.size() >= MAX_QUEUED_REQUESTS && !pausedReading) {
                pausedReading = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        serve(ctx, request);
    }

    /** Serves {@code request} on the connection; runs on the event loop and releases the request when done. */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        Exchange exchange = null;
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
            String path = decodedPath(decoder);
            if (path == null) { // a broken %-escape is the client's mistake: 400, not 500
                exchange = new Exchange(ctx, request, decoder, java.util.Map.of(), () -> onComplete(ctx));
                exchange.detail(HttpResponseStatus.BAD_REQUEST, "Malformed request path");
                return;
            }
            Router.Match match = router.match(request.method(), path);
            exchange = new Exchange(ctx, request, decoder, match.params(), () -> onComplete(ctx));
            if (match.found()) {
                match.handler().handle(exchange);
            } else if (match.methodNotAllowed()) {
                FullHttpResponse r = Responses.detail(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
                r.headers().set(HttpHeaderNames.ALLOW,
                        match.allowed().stream().map(Object::toString).collect(Collectors.joining(", ")));
                exchange.respond(r);
            } else {
                exchange.detail(HttpResponseStatus.NOT_FOUND, "Not Found");
            }
        } catch (Exception | LinkageError e) {
            log.warn("{} {} failed", request.method(), request.uri(), e);
            if (exchange != null) {
                exchange.respond(Exchange.internalError(e));
            } else {
                ctx.writeAndFlush(Responses.closing(Exchange.internalError(e)))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private static String decodedPath(QueryStringDecoder decoder) {
        try {
            return decoder.path();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void onComplete(ChannelHandlerContext ctx) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> onComplete(ctx));
            return;
        }
        busy = false;
        FullHttpRequest next = queued.poll();
        if (next != null) {
            if (ctx.channel().isActive()) {
                serve(ctx, next);
            } else {
                next.release();
            }
        } else if (pausedReading) {
            pausedReading = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
