package io.lmcache.common.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request to a local endpoint and the means to answer it exactly once, from any thread.
 *
 * <p>Ownership: the {@link #request()} and its body are valid only during {@link Router.Handler#handle}; the server
 * releases it when the handler returns. An asynchronous handler copies what it needs first. Keep-alive follows the
 * request (HTTP/1.0 keep-alive is answered with {@code Connection: keep-alive}).
 */
public final class Exchange {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder decoder;
    private final Map<String, String> params;
    private final boolean keepAlive;
    private final Runnable onComplete;
    private final AtomicBoolean answered = new AtomicBoolean();

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder decoder, Map<String, String> params,
             Runnable onComplete) {
        this.ctx = ctx;
        this.request = request;
        this.decoder = decoder;
        this.params = params;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.onComplete = onComplete;
    }

    public FullHttpRequest request() {
        return request;
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    /** Decoded path without the query. */
    public String path() {
        return decoder.path();
    }

    /** A path placeholder's value, decoded. */
    public String pathParam(String name) {
        return params.get(name);
    }

    /** Query parameters decoded as HTML forms are ({@code +} is a space), since Python clients encode that way. */
    public Map<String, List<String>> query() {
        return decoder.parameters();
    }

    /** First value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = decoder.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyUtf8() {
        return request.content().toString(StandardCharsets.UTF_8);
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public void json(HttpResponseStatus status, Object body) {
        respond(Responses.json(status, body));
    }

    public void detail(HttpResponseStatus status, String message) {
        respond(Responses.detail(status, message));
    }

    /** Sends a complete response; later calls are ignored (and their responses released). */
    public void respond(FullHttpResponse response) {
        if (!answered.compareAndSet(false, true)) {
            response.release();
            return;
        }
        prepare(response);
        finish(ctx.writeAndFlush(response));
    }

    /**
     * Starts a streamed response: writes {@code head} (chunked unless it carries a Content-Length). The caller then
     * writes {@code HttpContent}s through {@link #ctx()} and must pass the future of its {@code LastHttpContent} write
     * to {@link #finish}.
     */
    public ChannelFuture startStream(HttpResponse head) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("already answered");
        }
        if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        prepare(head);
        return ctx.writeAndFlush(head);
    }

    /** Completes the exchange once {@code lastWrite} is done: closes if not keep-alive, then serves the next request. */
    public void finish(ChannelFuture lastWrite) {
        if (!keepAlive) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
        lastWrite.addListener(f -> onComplete.run());
    }

    private void prepare(HttpResponse response) {
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** Status used when a handler throws before answering. */
    static FullHttpResponse internalError(Throwable cause) {
        return Responses.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: " + cause.getClass().getSimpleName());
    }
}
