package io.lmcache.gateway.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Streams text as HTTP chunks of about {@code chunkBytes}, each built in a pooled buffer and handed to the channel.
 * Must run off the event loop: when the channel stops being writable it waits (bounded) for the last chunk to drain,
 * so a slow client holds at most a few chunks in memory; a client that is gone or stalled ends the stream.
 */
final class ChunkedResponseWriter implements TextSink {
    private final ChannelHandlerContext ctx;
    private final int chunkBytes;
    private final long writeStallMillis;
    private ByteBuf buf;
    private boolean aborted;

    ChunkedResponseWriter(ChannelHandlerContext ctx, int chunkBytes, long writeStallMillis) {
        this.ctx = ctx;
        this.chunkBytes = chunkBytes;
        this.writeStallMillis = writeStallMillis;
    }

    @Override
    public void append(CharSequence text) {
        if (aborted || text.length() == 0) {
            return;
        }
        int maxBytes = ByteBufUtil.utf8MaxBytes(text);
        if (buf != null && buf.writableBytes() < maxBytes) {
            writeChunk();
            if (aborted) {
                return;
            }
        }
        if (buf == null) {
            buf = ctx.alloc().buffer(Math.max(chunkBytes, maxBytes));
        }
        ByteBufUtil.writeUtf8(buf, text);
    }

    private void writeChunk() {
        ByteBuf chunk = buf;
        buf = null;
        if (!ctx.channel().isActive()) {
            chunk.release();
            aborted = true;
            return;
        }
        ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(chunk));
        if (!ctx.channel().isWritable()) {
            boolean done = written.awaitUninterruptibly(writeStallMillis);
            if (!done || !written.isSuccess()) {
                aborted = true;
                ctx.channel().close();
            }
        }
    }

    /** True if the client went away or stalled: the rest of the text was discarded. */
    boolean aborted() {
        return aborted;
    }

    /** Writes what is left and the last chunk; the returned future is what {@code Exchange.finish} waits for. */
    ChannelFuture finish() {
        if (buf != null) {
            if (buf.isReadable() && !aborted) {
                writeChunk();
            } else {
                buf.release();
                buf = null;
            }
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
}
