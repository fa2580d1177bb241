package io.lmcache.gateway.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP origin for proxy tests (in the spirit of OkHttp's MockWebServer), on real loopback sockets. Each
 * path is a behaviour:
 * <ul>
 *   <li>{@code GET /bytes?n=N[&chunked=1]}: N bytes of {@link #pattern(long, long)}, streamed with back-pressure;</li>
 *   <li>{@code POST|PUT /sha256}: streams the body into SHA-256, answers {@code bytes=N sha256=HEX};</li>
 *   <li>{@code POST /echo}: streams the body back (chunked);</li>
 *   <li>{@code GET /sse?n=N&gapMillis=M}: N server-sent events, M ms apart (the first at once);</li>
 *   <li>{@code /headers}: the request line and headers as text, one {@code name: value} per line;</li>
 *   <li>{@code /status?code=C}: an empty response with status C (with a Content-Length of 5 for 304, as allowed);</li>
 *   <li>{@code /cookies}: two Set-Cookie fields and hop-by-hop fields that must not pass;</li>
 *   <li>{@code /stall}: never answers;</li>
 *   <li>{@code /cut}: announces 1000 bytes, sends 100, closes;</li>
 *   <li>{@code /hints}: {@code 103 Early Hints} at once, then {@code 200 hinted} after {@link #releaseHintedAnswers()};</li>
 *   <li>anything else: {@code ok <method> <uri>}.</li>
 * </ul>
 * With {@link #resetReusedConnections(boolean)} it resets (RST) any connection on which a second request arrives,
 * as an origin does that dropped an idle keep-alive connection the client had not noticed yet.
 */
public final class FakeOrigin implements AutoCloseable {
    /** Size of the repeating block of pseudo-random bytes that bodies are made of. */
    public static final int BLOCK_BYTES = 64 * 1024;
    private static final byte[] BLOCK = block();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger sseEvents = new AtomicInteger();
    private volatile boolean resetReused;
    private final AtomicInteger hintsSent = new AtomicInteger();
    private final java.util.concurrent.CompletableFuture<Void> hintedAnswers = new java.util.concurrent.CompletableFuture<>();

    private FakeOrigin() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec()).addLast(new Behaviour());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public static FakeOrigin start() throws InterruptedException {
        return new FakeOrigin();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    public int requests() {
        return requests.get();
    }

    /** Server-sent events written so far. */
    public int sseEventsSent() {
        return sseEvents.get();
    }

    /** {@code 103 Early Hints} responses written (and flushed) so far. */
    public int hintsSent() {
        return hintsSent.get();
    }

    /** Lets every {@code /hints} request, earlier or later, get its final answer. */
    public void releaseHintedAnswers() {
        hintedAnswers.complete(null);
    }

    public void resetReusedConnections(boolean on) {
        resetReused = on;
    }

    /** The byte at {@code offset} of every body this origin sends. */
    public static byte pattern(long offset) {
        return BLOCK[(int) (offset % BLOCK_BYTES)];
    }

    /** SHA-256 of the first {@code n} bytes of the pattern. */
    public static String patternSha256(long n) {
        MessageDigest md = sha256();
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(BLOCK_BYTES, left);
            md.update(BLOCK, 0, k);
            left -= k;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static byte[] patternBytes(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = pattern(i);
        }
        return out;
    }

    private static byte[] block() {
        byte[] b = new byte[BLOCK_BYTES];
        new java.util.Random(42).nextBytes(b);
        return b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One connection's behaviour; streams are driven by writability so huge bodies need no memory. */
    private final class Behaviour extends ChannelInboundHandlerAdapter {
        private int served;
        private String path;
        private MessageDigest digest;
        private long bodyBytes;
        private boolean echo;
        private long toSend;
        private long sent;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                requests.incrementAndGet();
                if (resetReused && served++ > 0) {
                    ReferenceCountUtil.release(msg);
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                    return;
                }
                begin(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                body(ctx, content);
            }
        }

        private void begin(ChannelHandlerContext ctx, HttpRequest request) {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            path = q.path();
            digest = null;
            echo = false;
            bodyBytes = 0;
            switch (path) {
                case "/sha256" -> digest = sha256();
                case "/echo" -> {
                    echo = true;
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(r, true);
                    ctx.writeAndFlush(r);
                }
                case "/bytes" -> {
                    toSend = Long.parseLong(param(q, "n", "0"));
                    sent = 0;
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                    if ("1".equals(param(q, "chunked", "0"))) {
                        HttpUtil.setTransferEncodingChunked(r, true);
                    } else {
                        HttpUtil.setContentLength(r, toSend);
                    }
                    ctx.write(r);
                    pump(ctx);
                }
                case "/sse" -> sse(ctx, Integer.parseInt(param(q, "n", "3")), Long.parseLong(param(q, "gapMillis", "200")));
                case "/headers" -> {
                    StringBuilder sb = new StringBuilder(request.method() + " " + request.uri() + " "
                            + request.protocolVersion() + "\n");
                    request.headers().forEach(e -> sb.append(e.getKey().toLowerCase()).append(": ")
                            .append(e.getValue()).append('\n'));
                    answer(ctx, HttpResponseStatus.OK, sb.toString());
                }
                case "/status" -> {
                    int code = Integer.parseInt(param(q, "code", "200"));
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
                    if (code == 304) {
                        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
                        r.headers().set(HttpHeaderNames.ETAG, "\"v1\"");
                    } else if (code != 204) {
                        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                    }
                    ctx.writeAndFlush(r);
                }
                case "/cookies" -> {
                    FullHttpResponse r = full(HttpResponseStatus.OK, "cookies");
                    r.headers().add(HttpHeaderNames.SET_COOKIE, "a=1; Path=/");
                    r.headers().add(HttpHeaderNames.SET_COOKIE, "b=2; Path=/");
                    r.headers().set(HttpHeaderNames.CONNECTION, "X-Origin-Private");
                    r.headers().set("X-Origin-Private", "secret");
                    r.headers().set(HttpHeaderNames.KEEP_ALIVE, "timeout=5");
                    r.headers().set("Proxy-Authenticate", "Basic");
                    r.headers().set(HttpHeaderNames.LOCATION, "/elsewhere");
                    ctx.writeAndFlush(r);
                }
                case "/redirect" -> {
                    FullHttpResponse r = full(HttpResponseStatus.FOUND, "");
                    r.headers().set(HttpHeaderNames.LOCATION, "http://127.0.0.1:1/elsewhere");
                    ctx.writeAndFlush(r);
                }
                case "/stall" -> { }
                case "/hints" -> {
                    FullHttpResponse hints = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(103));
                    hints.headers().set("Link", "</style.css>; rel=preload; as=style");
                    ctx.writeAndFlush(hints).addListener(f -> hintsSent.incrementAndGet());
                    hintedAnswers.thenRun(() -> ctx.executor().execute(
                            () -> answer(ctx, HttpResponseStatus.OK, "hinted")));
                }
                case "/cut" -> {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(r, 1000);
                    ctx.write(r);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(patternBytes(100))))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                default -> { }
            }
        }

        private void body(ChannelHandlerContext ctx, HttpContent content) {
            ByteBuf buf = content.content();
            bodyBytes += buf.readableBytes();
            boolean last = content instanceof LastHttpContent;
            if (digest != null) {
                digest.update(buf.nioBuffer());
            }
            if (echo) {
                ctx.writeAndFlush(last ? new DefaultLastHttpContent(buf.retain()) : new DefaultHttpContent(buf.retain()));
                if (!ctx.channel().isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            }
            content.release();
            if (!last) {
                return;
            }
            if (digest != null) {
                answer(ctx, HttpResponseStatus.OK, "bytes=" + bodyBytes + " sha256=" + HexFormat.of().formatHex(digest.digest()));
            } else if (!echo && (path.equals("/") || !isKnown(path))) {
                answer(ctx, HttpResponseStatus.OK, "ok");
            }
        }

        private boolean isKnown(String p) {
            return switch (p) {
                case "/sha256", "/echo", "/bytes", "/sse", "/headers", "/status", "/cookies", "/redirect", "/stall",
                        "/cut", "/hints" -> true;
                default -> false;
            };
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            while (sent < toSend && ch.isWritable()) {
                int off = (int) (sent % BLOCK_BYTES);
                int k = (int) Math.min(BLOCK_BYTES - off, toSend - sent);
                sent += k;
                ch.write(new DefaultHttpContent(Unpooled.wrappedBuffer(BLOCK, off, k)));
            }
            if (sent >= toSend && toSend >= 0) {
                toSend = -1;
                ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                ch.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                if (toSend > 0 && sent < toSend) {
                    pump(ctx);
                }
                if (echo) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void sse(ChannelHandlerContext ctx, int n, long gapMillis) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(r, true);
            ctx.writeAndFlush(r);
            for (int i = 0; i < n; i++) {
                int id = i;
                ctx.executor().schedule(() -> {
                    ByteBuf b = Unpooled.copiedBuffer("data: event " + id + "\n\n", StandardCharsets.UTF_8);
                    sseEvents.incrementAndGet();
                    ctx.writeAndFlush(new DefaultHttpContent(b));
                    if (id == n - 1) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                }, gapMillis * i, TimeUnit.MILLISECONDS);
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
            ctx.writeAndFlush(full(status, text));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse full(HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        return r;
    }

    private static String param(QueryStringDecoder q, String name, String dflt) {
        var v = q.parameters().get(name);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }
}
