package io.lmcache.agent.sim;

import io.lmcache.common.http.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Streams a body of {@code totalBytes} bytes in constant memory: every chunk is a view of one shared pattern block, and
 * writing pauses whenever the connection stops being writable, resuming when the last queued chunk has been written.
 * The byte at absolute offset {@code p} is {@code p & 0xff}, so a client can verify what it received.
 */
final class KvStream {
    /** Chunk size; a multiple of 256 keeps the pattern continuous across chunks. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final Exchange exchange;
    private final ChannelHandlerContext ctx;
    private final ByteBuf pattern;
    private long remaining;

    private KvStream(Exchange exchange, ByteBuf pattern, long totalBytes) {
        this.exchange = exchange;
        this.ctx = exchange.ctx();
        this.pattern = pattern;
        this.remaining = totalBytes;
    }

    /** Starts streaming on the exchange's event loop. {@code pattern} is {@link #CHUNK_BYTES} of the pattern. */
    static void start(Exchange exchange, ByteBuf pattern, long totalBytes) {
        KvStream stream = new KvStream(exchange, pattern, totalBytes);
        if (exchange.ctx().executor().inEventLoop()) {
            stream.begin();
        } else {
            exchange.ctx().executor().execute(stream::begin);
        }
    }

    static ByteBuf newPattern(io.netty.buffer.ByteBufAllocator alloc) {
        ByteBuf b = alloc.directBuffer(CHUNK_BYTES, CHUNK_BYTES);
        for (int i = 0; i < CHUNK_BYTES; i++) {
            b.writeByte(i & 0xff);
        }
        return b;
    }

    private void begin() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, remaining);
        exchange.startStream(head);
        writeMore();
    }

    private void writeMore() {
        ChannelFuture last = null;
        while (remaining > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(CHUNK_BYTES, remaining);
            remaining -= n;
            last = ctx.write(new DefaultHttpContent(pattern.retainedSlice(0, n)));
        }
        if (remaining == 0) {
            exchange.finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            return;
        }
        ctx.flush();
        if (!ctx.channel().isActive()) {
            return;
        }
        ChannelFuture resumeAfter = last;
        if (resumeAfter == null) {
            // Not writable before the first chunk: wait for what is already queued by writing nothing.
            resumeAfter = ctx.writeAndFlush(new DefaultHttpContent(io.netty.buffer.Unpooled.EMPTY_BUFFER));
        }
        resumeAfter.addListener(f -> {
            if (f.isSuccess()) {
                writeMore();
            } else {
                ctx.close();
            }
        });
    }
}
