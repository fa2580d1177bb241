package io.lmcache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Who may turn reading back on: the router only undoes its own pause, never one set by another handler. */
class LocalHttpHandlerReadingTest {
    @Test
    void answering_a_request_leaves_reading_paused_when_another_handler_paused_it() {
        EmbeddedChannel ch = new EmbeddedChannel(new LocalHttpHandler(new Router()
                .get("/health", ex -> ex.json(HttpResponseStatus.OK, "ok"))));
        ch.config().setAutoRead(false); // e.g. the gateway's dispatcher holding pipelined requests back

        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health"));
        FullHttpResponse r = ch.readOutbound();
        assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
        r.release();

        assertThat(ch.config().isAutoRead()).as("reading stays paused by its owner").isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void reading_paused_for_too_many_queued_requests_resumes_once_they_are_answered() {
        Runnable[] answerFirst = new Runnable[1];
        EmbeddedChannel ch = new EmbeddedChannel(new LocalHttpHandler(new Router()
                .get("/slow", ex -> answerFirst[0] = () -> ex.json(HttpResponseStatus.OK, "slow"))
                .get("/fast", ex -> ex.json(HttpResponseStatus.OK, "fast"))));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/slow"));
        for (int i = 0; i < 16; i++) {
            ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/fast"));
        }
        assertThat(ch.config().isAutoRead()).isFalse();

        answerFirst[0].run();
        ch.runPendingTasks();

        int answers = 0;
        for (FullHttpResponse r; (r = ch.readOutbound()) != null; answers++) {
            r.release();
        }
        assertThat(answers).isEqualTo(17);
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}
