package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.StrictHttpServerCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The head rewriting of both directions, and how the server codec then frames the relayed body. */
class HeaderPolicyTest {
    private static HttpRequest request(HttpVersion version, String... headerPairs) {
        HttpRequest r = new DefaultHttpRequest(version, io.netty.handler.codec.http.HttpMethod.POST, "/proxy2/n/x?y=1");
        for (int i = 0; i < headerPairs.length; i += 2) {
            r.headers().add(headerPairs[i], headerPairs[i + 1]);
        }
        return r;
    }

    @Test
    void hop_by_hop_fields_and_those_named_by_connection_are_removed_from_requests() {
        HttpRequest r = request(HttpVersion.HTTP_1_1, "Connection", "keep-alive, X-Secret", "Connection", "X-Other",
                "X-Secret", "1", "X-Other", "2", "Keep-Alive", "timeout=5", "TE", "trailers", "Trailer", "X-T",
                "Upgrade", "h2c", "Proxy-Authorization", "Basic x", "Proxy-Connection", "keep-alive",
                "Transfer-Encoding", "chunked", "X-Kept", "a", "X-Kept", "b", "Host", "gw:8000");
        HeaderPolicy.prepareRequest(r, "/x?y=1", new HttpTarget("10.0.0.5", "8080"), "192.0.2.7", 2);
        assertThat(r.uri()).isEqualTo("/x?y=1");
        assertThat(r.headers().names()).map(String::toLowerCase).containsExactlyInAnyOrder(
                "x-kept", "host", "transfer-encoding", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                "x-lmcache-gateway-hops");
        assertThat(r.headers().getAll("X-Kept")).containsExactly("a", "b");
        assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked"); // re-framed for the upstream hop
        assertThat(r.headers().get("Host")).isEqualTo("10.0.0.5:8080");
        assertThat(r.headers().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
        assertThat(r.headers().get("X-Forwarded-Host")).isEqualTo("gw:8000");
        assertThat(r.headers().get("X-LMCache-Gateway-Hops")).isEqualTo("2");
    }

    @Test
    void forwarded_for_is_appended_and_the_request_goes_upstream_as_HTTP_1_1() {
        HttpRequest r = request(HttpVersion.HTTP_1_0, "X-Forwarded-For", "10.1.1.1", "X-Forwarded-Proto", "https",
                "Content-Length", "3");
        HeaderPolicy.prepareRequest(r, "/", new HttpTarget("h", "/tmp/s.sock"), "127.0.0.1", 1);
        assertThat(r.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.headers().get("X-Forwarded-For")).isEqualTo("10.1.1.1, 127.0.0.1");
        assertThat(r.headers().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(r.headers().get("Host")).isEqualTo("localhost");
        assertThat(r.headers().get("Content-Length")).isEqualTo("3");
    }

    @Test
    void responses_keep_repeated_fields_and_length_and_encoding_as_sent() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2").add("Content-Encoding", "gzip")
                .add("Content-Length", "10").add("Connection", "close, X-Hop").add("X-Hop", "1");
        boolean close = HeaderPolicy.prepareResponse(r, false, true, false);
        assertThat(close).isFalse();
        assertThat(r.headers().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(r.headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.headers().get("Content-Length")).isEqualTo("10");
        assertThat(r.headers().contains("X-Hop")).isFalse();
        assertThat(r.headers().contains("Connection")).isFalse();
    }

    @Test
    void a_body_of_unknown_length_is_chunked_for_HTTP_1_1_and_close_delimited_for_HTTP_1_0() {
        HttpResponse r11 = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r11.headers().set("Transfer-Encoding", "chunked");
        assertThat(HeaderPolicy.prepareResponse(r11, false, true, false)).isFalse();
        assertThat(r11.headers().get("Transfer-Encoding")).isEqualTo("chunked");

        HttpResponse r10 = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r10.headers().set("Transfer-Encoding", "chunked");
        assertThat(HeaderPolicy.prepareResponse(r10, false, true, true)).isTrue();
        assertThat(r10.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(r10.headers().get("Connection")).isEqualTo("close");

        HttpResponse keep10 = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        keep10.headers().set("Content-Length", "2");
        assertThat(HeaderPolicy.prepareResponse(keep10, false, true, true)).isFalse();
        assertThat(keep10.headers().get("Connection")).isEqualTo("keep-alive");

        HttpResponse noContent = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        assertThat(HeaderPolicy.prepareResponse(noContent, false, true, false)).isFalse();
        assertThat(noContent.headers().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void the_server_codec_rechunks_a_relayed_body_without_touching_its_bytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictHttpServerCodec(HttpLimits.DEFAULTS));
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        Object req;
        while ((req = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(req);
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("Transfer-Encoding", "chunked").set("Content-Type", "text/event-stream");
        HeaderPolicy.prepareResponse(r, false, true, false);
        ch.writeOutbound(r, new DefaultHttpContent(Unpooled.copiedBuffer("data: 1\n\n", StandardCharsets.UTF_8)),
                LastHttpContent.EMPTY_LAST_CONTENT);
        StringBuilder wire = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            wire.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        assertThat(wire.toString()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "transfer-encoding: chunked\r\n\r\n9\r\ndata: 1\n\n\r\n0\r\n\r\n");
        assertThat(HeaderPolicy.isEventStream(r)).isTrue();
        ch.finishAndReleaseAll();
    }
}
