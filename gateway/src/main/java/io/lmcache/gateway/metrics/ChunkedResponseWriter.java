package io.lmcache.gateway.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Streams text as HTTP chunks of at most {@code chunkBytes}, each built in a pooled buffer and handed to the channel.
 * Must run off the event loop: when the channel stops being writable it waits (bounded) for the last chunk to drain,
 * so a slow client holds at most a few chunks in memory; a client that is gone or stalled ends the stream.
 */
final class ChunkedResponseWriter implements TextSink {
    /** A UTF-16 char never needs more than 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 chars). */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

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
        int length = text.length();
        int maxCharsPerChunk = Math.max(1, chunkBytes / MAX_UTF8_BYTES_PER_CHAR);
        int start = 0;
        while (start < length && !aborted) {
            int end = Math.min(length, start + maxCharsPerChunk);
            if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never split a surrogate pair across chunks
            }
            appendSlice(text, start, end);
            start = end;
        }
    }

    private void appendSlice(CharSequence text, int start, int end) {
        int bytes = utf8Length(text, start, end); // exact, so that ASCII text fills whole chunks
        if (buf != null && buf.readableBytes() + bytes > chunkBytes) { // (a pooled buffer's capacity may be larger)
            writeChunk();
            if (aborted) {
                return;
            }
        }
        if (buf == null) {
            buf = ctx.alloc().buffer(chunkBytes);
        }
        ByteBufUtil.writeUtf8(buf, text, start, end);
    }

    /** UTF-8 length of {@code text[start, end)}; the slice never ends inside a surrogate pair. */
    static int utf8Length(CharSequence text, int start, int end) {
        int bytes = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
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
