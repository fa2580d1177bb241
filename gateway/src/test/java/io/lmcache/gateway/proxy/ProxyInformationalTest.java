package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.gateway.ProxyTestGateway;
import io.lmcache.gateway.testing.FakeNodeDirectory;
import io.lmcache.gateway.testing.FakeOrigin;
import io.lmcache.gateway.testing.RawHttpClient;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 1xx responses relayed while the client connection is not writable must not stop the final response. */
class ProxyInformationalTest {
    /** Far above what the loopback socket buffers absorb, so the gateway's outbound buffer stays over its mark. */
    private static final int BIG_BYTES = 32 * 1024 * 1024;

    private FakeOrigin origin;
    private ProxyTestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        origin = FakeOrigin.start();
        FakeNodeDirectory nodes = new FakeNodeDirectory().node("origin", "127.0.0.1", Integer.toString(origin.port()));
        Router local = new Router().get("/big", ex -> ex.respond(Responses.bytes(HttpResponseStatus.OK,
                "application/octet-stream", new byte[BIG_BYTES])));
        gateway = ProxyTestGateway.start(nodes, local,
                ProxyTestGateway.config(ProxyTestGateway.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))));
    }

    @AfterEach
    void stop() {
        gateway.close();
        origin.close();
    }

    @Test
    void an_early_hint_relayed_to_a_client_that_is_not_reading_yet_is_followed_by_the_final_response()
            throws Exception {
        try (RawHttpClient client = new RawHttpClient(gateway.port())) {
            // A big local answer fills the connection; the pipelined proxied request starts behind it.
            client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /proxy2/origin/hints HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> origin.hintsSent() == 1);
            Thread.sleep(300); // let the gateway relay the 103 while the client is still not reading
            origin.releaseHintedAnswers();

            RawHttpClient.Response big = client.read();
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.body()).hasSize(BIG_BYTES);
            RawHttpClient.Response hints = client.read();
            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("link")).contains("rel=preload");
            RawHttpClient.Response last = client.read();
            assertThat(last.status()).as(last.bodyText()).isEqualTo(200);
            assertThat(last.bodyText()).isEqualTo("hinted");
        }
    }
}
