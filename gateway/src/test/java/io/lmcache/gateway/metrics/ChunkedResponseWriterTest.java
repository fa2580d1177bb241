package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedResponseWriterTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();

    @Test
    void text_goes_out_in_bounded_chunks_and_ends_with_the_last_content() {
        ChunkedResponseWriter writer = new ChunkedResponseWriter(ctx, 256, 1_000);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String line = "lmcache:metric_" + i + "{node=\"ü-" + i + "\"} " + i + "\n";
            expected.append(line);
            writer.append(line);
        }
        ChannelFuture last = writer.finish();
        assertThat(last.isSuccess()).isTrue();

        StringBuilder received = new StringBuilder();
        int chunks = 0;
        Object msg;
        boolean sawLast = false;
        while ((msg = channel.readOutbound()) != null) {
            HttpContent content = (HttpContent) msg;
            assertThat(sawLast).as("nothing after the last content").isFalse();
            assertThat(content.content().readableBytes()).isLessThanOrEqualTo(256);
            received.append(content.content().toString(StandardCharsets.UTF_8));
            sawLast = content instanceof LastHttpContent;
            chunks++;
            content.release();
        }
        assertThat(sawLast).isTrue();
        assertThat(chunks).isGreaterThan(10);
        assertThat(received.toString()).isEqualTo(expected.toString());
        assertThat(writer.aborted()).isFalse();
    }

    @Test
    void a_piece_larger_than_a_chunk_is_split_without_breaking_a_character() {
        ChunkedResponseWriter writer = new ChunkedResponseWriter(ctx, 256, 1_000);
        String big = "x".repeat(84) + "\uD83D\uDE00" + "ü".repeat(3_000) + "\uD83D\uDE00";
        writer.append(big);
        writer.finish();
        StringBuilder received = new StringBuilder();
        HttpContent content;
        while ((content = channel.readOutbound()) != null) {
            assertThat(content.content().readableBytes()).isLessThanOrEqualTo(256);
            received.append(content.content().toString(StandardCharsets.UTF_8));
            content.release();
        }
        assertThat(received.toString()).isEqualTo(big);
    }

    @Test
    void a_closed_channel_aborts_the_stream_and_releases_every_buffer() {
        ChunkedResponseWriter writer = new ChunkedResponseWriter(ctx, 256, 1_000);
        writer.append("a".repeat(50)); // still in the writer's buffer
        channel.close();
        for (int i = 0; i < 10; i++) {
            writer.append("b".repeat(200));
        }
        assertThat(writer.aborted()).isTrue();
        assertThat(writer.finish().isSuccess()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
