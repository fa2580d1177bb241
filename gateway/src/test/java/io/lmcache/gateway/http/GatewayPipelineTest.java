package io.lmcache.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.ProxyTestGateway;
import io.lmcache.gateway.testing.FakeNodeDirectory;
import io.lmcache.gateway.testing.FakeOrigin;
import io.lmcache.gateway.testing.RawHttpClient;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbound pipeline: proxy or local per request, in order, keep-alive, limits and idle connections. */
class GatewayPipelineTest {
    private FakeOrigin origin;
    private ProxyTestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        origin = FakeOrigin.start();
        Router router = new Router()
                .get("/hello", ex -> ex.json(HttpResponseStatus.OK, Map.of("hello", "world")))
                // Answers later from another thread, so a pipelined proxy answer would overtake it if allowed.
                .get("/slow", ex -> CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
                        .execute(() -> ex.json(HttpResponseStatus.OK, Map.of("slow", true))))
                .post("/upload", ex -> ex.json(HttpResponseStatus.OK, Map.of("bytes", ex.request().content().readableBytes())));
        gateway = ProxyTestGateway.start(
                new FakeNodeDirectory().node("origin", "127.0.0.1", Integer.toString(origin.port())), router,
                ProxyTestGateway.config(Map.of("idleTimeout", Duration.ofMillis(500))));
    }

    @AfterEach
    void stop() {
        gateway.close();
        origin.close();
    }

    @Test
    void pipelined_requests_are_answered_in_request_order_across_local_and_proxied_routes() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "GET /proxy2/origin/one HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "GET /proxy2/origin/bytes?n=100000 HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: gw\r\n\r\n"
                    + "GET /proxy2/origin/two HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("{\"slow\":true}");
            assertThat(c.read().bodyText()).isEqualTo("ok");
            RawHttpClient.Response bytes = c.read();
            assertThat(bytes.body()).isEqualTo(FakeOrigin.patternBytes(100_000));
            assertThat(c.read().bodyText()).isEqualTo("{\"hello\":\"world\"}");
            RawHttpClient.Response notFound = c.read();
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).isEqualTo("{\"detail\":\"Not Found\"}");
            assertThat(c.read().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void HTTP_1_0_keep_alive_is_answered_as_such_on_proxied_and_local_routes() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            for (String path : new String[] {"/proxy2/origin/a", "/hello", "/proxy2/origin/b"}) {
                c.send("GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
                assertThat(r.header("content-length")).isNotNull();
            }
        }
    }

    @Test
    void HTTP_1_0_gets_a_body_of_unknown_length_delimited_by_the_close() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/bytes?n=5000&chunked=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(r.body()).isEqualTo(FakeOrigin.patternBytes(5000));
        }
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/plain HTTP/1.0\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("ok");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void unknown_paths_are_404_without_any_fallback() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            for (String path : new String[] {"/proxy2", "/proxy2/origin", "/static/../../etc/passwd", "/proxy/x"}) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void a_local_body_over_the_limit_is_413_while_proxied_bodies_are_not_limited() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: " + (2 * 1024 * 1024) + "\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyText()).contains("Request body too large");
        }
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            int n = 2 * 1024 * 1024;
            c.send("POST /proxy2/origin/sha256 HTTP/1.1\r\nHost: gw\r\nContent-Length: " + n + "\r\n\r\n");
            c.sendBytes(FakeOrigin.patternBytes(n));
            assertThat(c.read().bodyText()).isEqualTo("bytes=" + n + " sha256=" + FakeOrigin.patternSha256(n));
        }
    }

    @Test
    void refusals_are_json_details_and_keep_the_connection_when_no_body_follows() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/nope/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("{\"detail\":\"Node with name 'nope' not found\"}");
            c.send("TRACE /proxy2/origin/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response trace = c.read();
            assertThat(trace.status()).isEqualTo(405);
            assertThat(trace.header("allow")).contains("PATCH");
            c.send("GET /proxy/127.0.0.1/" + gateway.port() + "/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(403);
            c.send("GET /proxy2/origin/x HTTP/1.1\r\nHost: gw\r\nX-LMCache-Gateway-Hops: 4\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(508);
            c.send("GET /proxy2/origin/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void a_connection_idle_between_requests_is_closed() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /hello HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(c::closedByPeer);
        }
    }
}
