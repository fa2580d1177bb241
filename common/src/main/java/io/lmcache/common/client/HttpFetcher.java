package io.lmcache.common.client;

import io.lmcache.common.net.OffLoopResolver;
import io.lmcache.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small asynchronous HTTP/1.1 client for control-plane calls: heartbeats, version probes, node lists and metrics
 * scrapes. Keep-alive connections are pooled per target (TCP or Unix socket), so a periodic call reuses one
 * connection instead of opening a new one each time as the reference did. Bodies are aggregated up to a bound given
 * per call; larger ones fail with {@link TooLongHttpContentException}. Not for the proxy path, which streams.
 *
 * <p>Failures complete the future exceptionally: {@link java.net.ConnectException} for refused connections,
 * {@link TimeoutException} for a connect or response deadline.
 */
public final class HttpFetcher implements AutoCloseable {
    /** Idle pooled connections per target; more concurrent calls open extra connections that are then closed. */
    private static final int MAX_IDLE_PER_TARGET = 8;
    private static final String USER_AGENT = "lmcache-gateway";
    private static final io.netty.util.AttributeKey<Boolean> WATCHED = io.netty.util.AttributeKey.valueOf("fetcher.watched");

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Transport transport;
    private final Map<HttpTarget, ConcurrentLinkedDeque<Channel>> idle = new ConcurrentHashMap<>();

    /** A fetcher running on its own single event loop; {@link #close()} stops it. */
    public HttpFetcher(Transport transport) {
        this(transport.newGroup(1, new DefaultThreadFactory("http-fetcher", true)), transport, true);
    }

    /** A fetcher sharing the caller's loops (which must be of {@code transport}); close() leaves them running. */
    public HttpFetcher(EventLoopGroup group, Transport transport) {
        this(group, transport, false);
    }

    private HttpFetcher(EventLoopGroup group, Transport transport, boolean ownsGroup) {
        this.group = group;
        this.transport = transport;
        this.ownsGroup = ownsGroup;
    }

    /** GETs {@code pathAndQuery} (must start with {@code /}) from {@code target}. */
    public CompletableFuture<FetchResult> get(HttpTarget target, String pathAndQuery, Duration timeout, int maxBodyBytes) {
        return send(target, HttpMethod.GET, pathAndQuery, Map.of(), timeout, maxBodyBytes);
    }

    /**
     * Sends a body-less request. {@code timeout} bounds connecting and then, separately, the wait between bytes of the
     * response (a stalled response fails; a slow but steady one completes).
     */
    public CompletableFuture<FetchResult> send(HttpTarget target, HttpMethod method, String pathAndQuery,
                                               Map<String, String> headers, Duration timeout, int maxBodyBytes) {
        CompletableFuture<FetchResult> result = new CompletableFuture<>();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, pathAndQuery);
        request.headers().set(HttpHeaderNames.HOST, target.hostHeader());
        request.headers().set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        headers.forEach(request.headers()::set);

        Channel pooled = pollIdle(target);
        if (pooled != null) {
            // A pooled connection the server closed meanwhile fails before any response byte: retry once on a new one.
            Runnable retry = () -> connect(target, request.retainedDuplicate(), timeout, maxBodyBytes, result);
            pooled.eventLoop().execute(() -> exchange(pooled, target, request, timeout, maxBodyBytes, result, retry));
            return result;
        }
        connect(target, request, timeout, maxBodyBytes, result);
        return result;
    }

    private void connect(HttpTarget target, FullHttpRequest request, Duration timeout, int maxBodyBytes,
                         CompletableFuture<FetchResult> result) {
        long timeoutMillis = Math.max(1, timeout.toMillis());
        new Bootstrap()
                .group(group)
                .channel(target.isUnixSocket() ? transport.domainSocketChannel() : transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .resolver(OffLoopResolver.SHARED) // a slow DNS answer must not stall the other calls on this loop
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec());
                    }
                })
                // NIO's domain sockets take the JDK's address type, the native transports Netty's
                .connect(target.isUnixSocket() && transport == Transport.NIO
                        ? java.net.UnixDomainSocketAddress.of(target.port()) : target.socketAddress())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        exchange(f.channel(), target, request, timeout, maxBodyBytes, result, null);
                    } else {
                        request.release();
                        result.completeExceptionally(connectFailure(target, f.cause()));
                    }
                });
    }

    private static Throwable connectFailure(HttpTarget target, Throwable cause) {
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            TimeoutException t = new TimeoutException("connect to " + target + " timed out");
            t.initCause(cause);
            return t;
        }
        return cause;
    }

    /** Runs on the channel's loop: installs per-call handlers, writes, and completes {@code result} exactly once. */
    private void exchange(Channel ch, HttpTarget target, FullHttpRequest request, Duration timeout, int maxBodyBytes,
                          CompletableFuture<FetchResult> result, Runnable retryOnEarlyClose) {
        ResponseHandler handler = new ResponseHandler(target, request, result, retryOnEarlyClose);
        var p = ch.pipeline();
        p.addLast("timeout", new ReadTimeoutHandler(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        p.addLast("aggregator", new HttpObjectAggregator(maxBodyBytes));
        p.addLast("response", handler);
        ch.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                handler.connectionLost(ch, f.cause());
            }
        });
    }

    /** Completes one call: with the response, with a failure, or by handing over to one retry on a new connection. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final HttpTarget target;
        private final FullHttpRequest request;
        private final CompletableFuture<FetchResult> result;
        private Runnable retry;
        private boolean done;

        ResponseHandler(HttpTarget target, FullHttpRequest request, CompletableFuture<FetchResult> result,
                        Runnable retryOnEarlyClose) {
            this.target = target;
            this.request = request;
            this.result = result;
            this.retry = retryOnEarlyClose;
            if (retry != null) {
                request.retain(); // kept for the retry until the response begins (the write releases the other)
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            dropRetry();
            super.channelRead(ctx, msg);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            done = true;
            byte[] body = ByteBufUtil.getBytes(msg.content());
            HttpHeaders copy = msg.headers().copy();
            boolean reusable = HttpUtil.isKeepAlive(msg) && msg.decoderResult().isSuccess();
            detach(ctx.channel());
            if (reusable) {
                release(target, ctx.channel());
            } else {
                ctx.close();
            }
            result.complete(new FetchResult(msg.status().code(), copy, body));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropRetry();
            fail(ctx.channel(), cause instanceof io.netty.handler.timeout.ReadTimeoutException
                    ? new TimeoutException("response from " + target + " timed out") : cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connectionLost(ctx.channel(), null);
        }

        void connectionLost(Channel ch, Throwable cause) {
            if (done) {
                return;
            }
            if (retry != null) {
                done = true;
                Runnable r = retry;
                retry = null;
                ch.close();
                r.run(); // sends a retained duplicate, then our own reference goes
                request.release();
                return;
            }
            fail(ch, cause != null ? cause
                    : new IOException("connection to " + target + " closed before a complete response"));
        }

        private void dropRetry() {
            if (retry != null) {
                retry = null;
                request.release();
            }
        }

        private void fail(Channel ch, Throwable cause) {
            if (!done) {
                done = true;
                ch.close();
                result.completeExceptionally(cause);
            }
        }
    }

    private static void detach(Channel ch) {
        var p = ch.pipeline();
        for (String name : new String[] {"timeout", "aggregator", "response"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    private Channel pollIdle(HttpTarget target) {
        ConcurrentLinkedDeque<Channel> q = idle.get(target);
        if (q == null) {
            return null;
        }
        Channel ch;
        while ((ch = q.pollFirst()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    private void release(HttpTarget target, Channel ch) {
        ConcurrentLinkedDeque<Channel> q = idle.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>());
        if (q.size() >= MAX_IDLE_PER_TARGET) {
            ch.close();
            return;
        }
        q.addFirst(ch);
        if (ch.attr(WATCHED).setIfAbsent(Boolean.TRUE) == null) {
            // A server closing an idle connection must not leave a dead entry behind.
            ch.closeFuture().addListener(f -> q.remove(ch));
        }
    }

    /** Number of idle pooled connections, for tests and metrics. */
    public int idleConnections() {
        return idle.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    @Override
    public void close() {
        idle.values().forEach(q -> q.forEach(Channel::close));
        idle.clear();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
