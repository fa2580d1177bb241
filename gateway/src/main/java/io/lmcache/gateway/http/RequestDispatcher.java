package io.lmcache.gateway.http;

import io.lmcache.gateway.metrics.GatewayMetrics;
import io.lmcache.gateway.proxy.ClientProxy;
import io.lmcache.gateway.proxy.ProxyService;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request on a client connection either to the streaming proxy (paths under {@code /proxy2/} and
 * {@code /proxy/}, never aggregated) or down the pipeline to the local routes, and keeps HTTP/1.1 pipelining in order:
 * the parts of a request that arrives while an earlier one is still being answered wait here (and reading pauses)
 * until that answer has been written. It also closes connections idle between requests.
 *
 * <p>An exchange ends when its request has been read to the end and its final (non-1xx) response has been written.
 */
final class RequestDispatcher extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ClientProxy proxy;
    private final ReadGate gate;
    private final GatewayMetrics metrics;
    private final long idleTimeoutNanos;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();

    private boolean exchangeOpen;
    private boolean toProxy;
    private boolean requestRead;
    private boolean responseWritten;
    private boolean responseInformational;
    private boolean draining;
    private long lastActivityNanos;
    private ScheduledFuture<?> idleTimer;

    RequestDispatcher(ProxyService proxyService, ReadGate gate, GatewayMetrics metrics, long idleTimeoutMillis,
                      io.netty.channel.Channel channel) {
        this.proxy = proxyService.newClient(channel, gate);
        this.gate = gate;
        this.metrics = metrics;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.clientConnectionOpened();
        lastActivityNanos = System.nanoTime();
        scheduleIdleCheck(ctx, idleTimeoutNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if ((exchangeOpen && requestRead) || !backlog.isEmpty()) {
            backlog.add(msg); // a pipelined request: its turn comes when the current answer is written
            gate.hold(ReadGate.PIPELINED);
            return;
        }
        dispatch(ctx, msg);
    }

    private void dispatch(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            exchangeOpen = true;
            requestRead = false;
            responseWritten = false;
            toProxy = ProxyService.isProxyPath(request.uri());
        } else if (!exchangeOpen) {
            ReferenceCountUtil.release(msg); // the tail of a request whose exchange is gone (connection closing)
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        if (last) {
            requestRead = true;
        }
        if (toProxy) {
            proxy.onRequestObject((HttpObject) msg);
        } else {
            ctx.fireChannelRead(msg);
        }
        if (last && responseWritten) {
            endExchange(ctx); // answered before the body was read to its end
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActivityNanos = System.nanoTime();
        proxy.onClientReadComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            responseInformational = code >= 100 && code < 200;
        }
        ctx.write(msg, promise);
        if (msg instanceof LastHttpContent && !responseInformational) {
            // Queued is enough: the next answer can only be queued behind it. (No listener: one less allocation.)
            responseComplete(ctx);
        }
    }

    private void responseComplete(ChannelHandlerContext ctx) {
        if (!exchangeOpen) {
            return;
        }
        responseWritten = true;
        if (requestRead) {
            endExchange(ctx);
        }
    }

    private void endExchange(ChannelHandlerContext ctx) {
        exchangeOpen = false;
        lastActivityNanos = System.nanoTime();
        if (!backlog.isEmpty() && !draining) {
            draining = true;
            // Later, not inside the write that got us here: the handlers that wrote are still on the stack.
            ctx.executor().execute(() -> drainBacklog(ctx));
        }
    }

    private void drainBacklog(ChannelHandlerContext ctx) {
        draining = false;
        Object msg;
        while (!(exchangeOpen && requestRead) && (msg = backlog.poll()) != null) {
            if (!ctx.channel().isActive()) {
                ReferenceCountUtil.release(msg);
                continue;
            }
            dispatch(ctx, msg);
        }
        if (backlog.isEmpty()) {
            gate.release(ReadGate.PIPELINED);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        proxy.onClientWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.clientConnectionClosed();
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        Object msg;
        while ((msg = backlog.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        proxy.onClientClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    /** Closes the connection once it has been idle between requests for the idle timeout. */
    private void scheduleIdleCheck(ChannelHandlerContext ctx, long delayNanos) {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        idleTimer = ctx.executor().schedule(() -> {
            long idleFor = System.nanoTime() - lastActivityNanos;
            if (!exchangeOpen && idleFor >= idleTimeoutNanos) {
                log.debug("closing idle connection {}", ctx.channel());
                ctx.close();
            } else if (ctx.channel().isActive()) {
                scheduleIdleCheck(ctx, exchangeOpen ? idleTimeoutNanos : idleTimeoutNanos - idleFor);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }
}
