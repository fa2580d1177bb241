package io.lmcache.gateway.proxy;

import io.lmcache.common.http.Responses;
import io.lmcache.gateway.http.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request: streams the request to a pooled upstream connection and the response back, each part handed on
 * as it arrives (the same buffers; ownership moves with the write), with back-pressure both ways. Event-loop confined:
 * the client connection and its upstream connection share one loop.
 *
 * <p>Failures before the response starts are answered like the reference ({@code 502}/{@code 504} with its texts);
 * a pooled connection found dead before any response byte is replaced once if nothing of the body was sent yet.
 * After the response has started, a failure closes the client connection: a status cannot be taken back.
 */
final class ProxyExchange implements UpstreamListener, UpstreamPools.Acquirer {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    private final ClientProxy owner;
    private final Channel client;
    private final ReadGate gate;
    private final HttpRequest request;
    private final ProxyTargets.Destination destination;
    private final long startNanos;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean head;

    private UpstreamConnection upstream;
    /** Request parts received while no upstream connection is attached (connecting, or retrying). */
    private ArrayDeque<HttpContent> pending;
    private boolean requestEnded;
    private boolean requestForwarded;
    private long bodyBytesForwarded;
    private boolean retried;
    private boolean upstreamNeedsFlush;
    private boolean clientNeedsFlush;
    private HttpResponse responseHead;
    private boolean informational;
    private boolean flushEachChunk;
    private boolean closeClientAfter;
    private int status;
    private ScheduledFuture<?> responseTimer;
    private boolean done;
    /** True while {@link #start} runs: a pooled connection attached then is flushed with the rest of the batch. */
    private boolean starting;

    ProxyExchange(ClientProxy owner, HttpRequest request, ProxyTargets.Destination destination) {
        this.owner = owner;
        this.client = owner.client;
        this.gate = owner.gate;
        this.request = request;
        this.destination = destination;
        this.startNanos = System.nanoTime();
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.head = HttpMethod.HEAD.equals(request.method());
    }

    void start() {
        HeaderPolicy.prepareRequest(request, destination.upstreamUri(), destination.target(), owner.clientIp(),
                destination.hops());
        starting = true;
        owner.service.pools.acquire(client, destination.target(), destination.node(), false, this);
        starting = false;
    }

    // ---- upstream connection

    @Override
    public void acquired(UpstreamConnection connection) {
        if (done) {
            connection.release(true); // the client left while we were connecting; the connection is untouched
            return;
        }
        upstream = connection;
        connection.attach(this);
        Channel ch = connection.channel;
        ch.write(request, ch.voidPromise());
        if (requestEnded && pending == null && bodyBytesForwarded == 0 && requestForwarded) {
            // A retry of a request whose (empty) end was already sent on the dead connection.
            ch.write(LastHttpContent.EMPTY_LAST_CONTENT, ch.voidPromise());
        } else {
            requestForwarded = false;
        }
        if (pending != null) {
            ArrayDeque<HttpContent> parts = pending;
            pending = null;
            HttpContent c;
            while ((c = parts.poll()) != null) {
                forward(c);
            }
        }
        if (starting && !requestForwarded) {
            upstreamNeedsFlush = true; // the body (or its end) follows in this read batch: one flush for all
        } else {
            ch.flush(); // a no-op if the request's end was already flushed
            upstreamNeedsFlush = false;
        }
        gate.release(ReadGate.UPSTREAM_CONNECTING);
        if (!ch.isWritable()) {
            gate.hold(ReadGate.UPSTREAM_BACKPRESSURE);
        }
        if (requestForwarded) {
            startResponseTimer();
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (done) {
            return;
        }
        if (cause instanceof ConnectTimeoutException) {
            failBeforeResponse(HttpResponseStatus.GATEWAY_TIMEOUT, timedOut());
        } else {
            log.debug("connect to {} failed: {}", destination.target(), cause.toString());
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, refused());
        }
    }

    // ---- request: client → upstream

    void onClientContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            requestEnded = true;
        }
        if (done) {
            content.release(); // the answer is already given; the rest of the body has nowhere to go
            return;
        }
        if (upstream == null) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(content);
            if (!requestEnded) {
                gate.hold(ReadGate.UPSTREAM_CONNECTING);
            }
            return;
        }
        forward(content);
        if (!upstream.channel.isWritable()) {
            gate.hold(ReadGate.UPSTREAM_BACKPRESSURE);
        }
    }

    private void forward(HttpContent content) {
        Channel ch = upstream.channel;
        bodyBytesForwarded += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            // The end of the request is flushed at once: the read batch that carried it may no longer find us.
            ch.writeAndFlush(content, ch.voidPromise());
            upstreamNeedsFlush = false;
            requestForwarded = true;
            if (responseHead == null) {
                startResponseTimer();
            }
        } else {
            ch.write(content, ch.voidPromise());
            upstreamNeedsFlush = true;
        }
    }

    /** The end of a client read batch: one flush for everything it carried. */
    void onClientReadComplete() {
        if (upstreamNeedsFlush && upstream != null) {
            upstreamNeedsFlush = false;
            upstream.channel.flush();
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable) {
            gate.release(ReadGate.UPSTREAM_BACKPRESSURE);
        } else {
            gate.hold(ReadGate.UPSTREAM_BACKPRESSURE);
        }
    }

    // ---- response: upstream → client

    @Override
    public void onResponseObject(HttpObject msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg.decoderResult().isFailure()) {
            // A malformed response, or one cut short (premature close): never pass it off as complete.
            ReferenceCountUtil.release(msg);
            UpstreamConnection c = upstream;
            upstream = null;
            if (c != null) {
                c.abort();
            }
            if (responseHead == null && !informational) {
                failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, refused());
            } else {
                abortAfterResponseStarted("invalid or truncated response: " + msg.decoderResult().cause());
            }
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code == 101) {
                ReferenceCountUtil.release(msg);
                abortAfterResponseStarted("upstream switched protocols");
                return;
            }
            if (code < 200) {
                informational = true; // 100 Continue, 103 Early Hints: relayed, the real response follows
                HeaderPolicy.stripHopByHop(response.headers());
            } else {
                cancelResponseTimer();
                responseHead = response;
                status = code;
                closeClientAfter = HeaderPolicy.prepareResponse(response, head, clientKeepAlive, clientHttp10);
                flushEachChunk = HeaderPolicy.isEventStream(response);
            }
        }
        if (msg instanceof LastHttpContent last && !informational) {
            finish(last);
            return;
        }
        if (msg instanceof LastHttpContent) {
            informational = false;
        }
        client.write(msg, client.voidPromise());
        clientNeedsFlush = true;
        if (flushEachChunk || informational) {
            clientNeedsFlush = false;
            client.flush();
        }
        if (!client.isWritable() && upstream != null) {
            upstream.channel.config().setAutoRead(false);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (clientNeedsFlush) {
            clientNeedsFlush = false;
            client.flush();
        }
    }

    /**
     * The client's outbound buffer drained (or filled): resume (or pause) reading the response. Also before the final
     * head: relaying a 1xx may have paused reading, and the final response must still be read.
     */
    void onClientWritabilityChanged() {
        if (upstream != null) {
            upstream.channel.config().setAutoRead(client.isWritable());
        }
    }

    private void finish(LastHttpContent last) {
        done = true;
        boolean reusable = requestForwarded && HttpUtil.isKeepAlive(responseHead);
        UpstreamConnection c = upstream;
        upstream = null;
        c.release(reusable);
        endOnClientSide();
        ChannelFuture written = client.writeAndFlush(last);
        clientNeedsFlush = false;
        if (closeClientAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- failures

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (done) {
            return;
        }
        UpstreamConnection dead = upstream;
        upstream = null;
        if (responseHead != null || informational) {
            abortAfterResponseStarted(cause == null ? "upstream closed mid-response" : cause.toString());
            return;
        }
        cancelResponseTimer();
        if (dead != null && dead.reused && !retried && bodyBytesForwarded == 0) {
            // A pooled connection the origin closed while idle: nothing of the body was sent, so send it again.
            retried = true;
            log.debug("pooled connection to {} was dead ({}); retrying on a new one", destination.target(), cause);
            owner.service.pools.acquire(client, destination.target(), destination.node(), true, this);
            return;
        }
        log.debug("upstream {} failed before responding: {}", destination.target(), String.valueOf(cause));
        failBeforeResponse(HttpResponseStatus.BAD_GATEWAY, refused());
    }

    private void startResponseTimer() {
        long millis = owner.service.responseTimeoutMillis;
        if (responseTimer == null && millis > 0) {
            responseTimer = client.eventLoop().schedule(this::responseTimedOut, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    private void responseTimedOut() {
        responseTimer = null;
        if (done || responseHead != null) {
            return;
        }
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            c.abort();
        }
        failBeforeResponse(HttpResponseStatus.GATEWAY_TIMEOUT, timedOut());
    }

    /** Answers with an error of the reference's shape; the upstream connection (if any) is already detached. */
    private void failBeforeResponse(HttpResponseStatus errorStatus, String detail) {
        done = true;
        status = errorStatus.code();
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            c.abort();
        }
        releasePending();
        endOnClientSide();
        FullHttpResponse r = Responses.detail(errorStatus, detail);
        boolean close = !clientKeepAlive || !requestEnded; // an unread body would have to be read first: close
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture f = client.writeAndFlush(r);
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void abortAfterResponseStarted(String why) {
        log.debug("closing client {}: {}", client, why);
        done = true;
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            c.abort();
        }
        endOnClientSide();
        client.close();
    }

    /** The client connection closed: stop everything, keep nothing. */
    void onClientClosed() {
        if (done) {
            return;
        }
        done = true;
        cancelResponseTimer();
        releasePending();
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            c.abort();
        }
        owner.service.metrics.proxied(destination.node(), 0, System.nanoTime() - startNanos);
        owner.exchangeEnded(this);
    }

    private void endOnClientSide() {
        cancelResponseTimer();
        gate.release(ReadGate.UPSTREAM_CONNECTING | ReadGate.UPSTREAM_BACKPRESSURE);
        owner.service.metrics.proxied(destination.node(), status, System.nanoTime() - startNanos);
        owner.exchangeEnded(this);
    }

    private void releasePending() {
        if (pending != null) {
            HttpContent c;
            while ((c = pending.poll()) != null) {
                c.release();
            }
            pending = null;
        }
    }

    private String refused() {
        return destination.target().isUnixSocket()
                ? "Failed to connect to socket: " + destination.target().port()
                : "Failed to connect to target service " + destination.target().host() + ":" + destination.target().port();
    }

    private String timedOut() {
        return destination.target().isUnixSocket()
                ? "Connection to socket " + destination.target().port() + " timed out"
                : "Connection to target service " + destination.target().host() + ":" + destination.target().port()
                        + " timed out";
    }
}
