package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.ProxyTestGateway;
import io.lmcache.gateway.testing.FakeNodeDirectory;
import io.lmcache.gateway.testing.FakeOrigin;
import io.lmcache.gateway.testing.RawHttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request that gave up waiting for a free upstream connection leaves nothing behind in the pool. */
class UpstreamPoolWaitersTest {
    private FakeOrigin origin;
    private ProxyTestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        origin = FakeOrigin.start();
        FakeNodeDirectory nodes = new FakeNodeDirectory().node("origin", "127.0.0.1", Integer.toString(origin.port()));
        gateway = ProxyTestGateway.start(nodes, new Router(), ProxyTestGateway.config(Map.of(
                "connectTimeout", Duration.ofMillis(300), "responseTimeout", Duration.ofSeconds(20),
                "maxConnectionsPerNode", 1)));
    }

    @AfterEach
    void stop() {
        gateway.close();
        origin.close();
    }

    @Test
    void after_a_waiter_timed_out_the_busy_connection_still_goes_back_to_the_pool() throws Exception {
        try (RawHttpClient first = new RawHttpClient(gateway.port());
             RawHttpClient second = new RawHttpClient(gateway.port())) {
            first.send("GET /proxy2/origin/hints HTTP/1.1\r\nHost: x\r\n\r\n"); // holds the only connection
            await().atMost(Duration.ofSeconds(30)).until(() -> origin.hintsSent() == 1);

            second.send("GET /proxy2/origin/waits HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(second.read().status()).as("no free connection within the connect timeout").isEqualTo(504);

            origin.releaseHintedAnswers();
            assertThat(first.read().status()).isEqualTo(103);
            assertThat(first.read().bodyText()).isEqualTo("hinted");

            first.send("GET /proxy2/origin/again HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first.read().bodyText()).isEqualTo("ok");
            assertThat(origin.connections()).as("the released connection was pooled and reused").isEqualTo(1);
        }
    }
}
