package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.Router;
import io.lmcache.gateway.ProxyTestGateway;
import io.lmcache.gateway.testing.FakeNodeDirectory;
import io.lmcache.gateway.testing.FakeOrigin;
import io.lmcache.gateway.testing.RawHttpClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streaming proxy end to end, over loopback: client → gateway → scripted origin. */
class ProxyStreamingTest {
    private static final long MIB = 1024 * 1024;

    private FakeOrigin origin;
    private FakeNodeDirectory nodes;
    private ProxyTestGateway gateway;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        origin = FakeOrigin.start();
        nodes = new FakeNodeDirectory().node("origin", "127.0.0.1", Integer.toString(origin.port()));
        gateway = ProxyTestGateway.start(nodes, new Router(),
                ProxyTestGateway.config(ProxyTestGateway.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2))));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
        origin.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private HttpResponse<InputStream> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> getText(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(InputStream in, AtomicLong count) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[256 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            count.addAndGet(n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The origin's byte pattern as a stream of {@code n} bytes. */
    private static InputStream pattern(long n) {
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                return pos < n ? FakeOrigin.pattern(pos++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= n) {
                    return -1;
                }
                int k = (int) Math.min(len, n - pos);
                for (int i = 0; i < k; i++) {
                    b[off + i] = FakeOrigin.pattern(pos++);
                }
                return k;
            }
        };
    }

    @Test
    void a_64_MiB_download_arrives_byte_for_byte_with_content_length_and_chunked() throws Exception {
        for (String chunked : new String[] {"0", "1"}) {
            HttpResponse<InputStream> r = get("/proxy2/origin/bytes?n=" + 64 * MIB + "&chunked=" + chunked);
            assertThat(r.statusCode()).isEqualTo(200);
            if (chunked.equals("0")) {
                assertThat(r.headers().firstValue("content-length")).contains(Long.toString(64 * MIB));
            } else {
                assertThat(r.headers().firstValue("transfer-encoding")).contains("chunked");
            }
            AtomicLong count = new AtomicLong();
            assertThat(sha256(r.body(), count)).isEqualTo(FakeOrigin.patternSha256(64 * MIB));
            assertThat(count.get()).isEqualTo(64 * MIB);
        }
    }

    @Test
    void a_64_MiB_upload_arrives_byte_for_byte_chunked_and_with_content_length() throws Exception {
        long n = 64 * MIB;
        String expected = "bytes=" + n + " sha256=" + FakeOrigin.patternSha256(n);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/proxy2/origin/sha256"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> pattern(n))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.body()).isEqualTo(expected);
        HttpResponse<String> sized = http.send(HttpRequest.newBuilder(uri("/proxy2/origin/sha256"))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> pattern(n)), n)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sized.body()).isEqualTo(expected);
    }

    @Test
    void an_echoed_body_streams_both_ways_at_once() throws Exception {
        int n = (int) (16 * MIB);
        byte[] body = FakeOrigin.patternBytes(n);
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("POST /proxy2/origin/echo HTTP/1.1\r\nHost: gw\r\nContent-Length: " + n + "\r\n\r\n");
            // A separate writer: the echo comes back while the body is still going out (full duplex).
            Thread writer = new Thread(() -> {
                try {
                    c.sendBytes(body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            RawHttpClient.Response r = c.read();
            writer.join();
            assertThat(r.body()).hasSize(n);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())))
                    .isEqualTo(FakeOrigin.patternSha256(n));
        }
    }

    @Test
    void a_1_GiB_response_streams_through_in_bounded_memory_to_a_slow_reader() throws Exception {
        long n = 1024 * MIB;
        AtomicLong peak = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(usedDirectMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            HttpResponse<InputStream> r = get("/proxy2/origin/bytes?n=" + n);
            InputStream body = r.body();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[256 * 1024];
            long read = 0;
            int slowReads = 0;
            for (int k; (k = body.read(buf)) > 0; ) {
                md.update(buf, 0, k);
                read += k;
                if (slowReads < 20) { // slow at first, so the proxy's buffers would fill without back-pressure
                    slowReads++;
                    Thread.sleep(50);
                }
            }
            assertThat(read).isEqualTo(n);
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(FakeOrigin.patternSha256(n));
        } finally {
            sampling.set(false);
            sampler.join();
        }
        System.out.println("1 GiB through the proxy: peak direct memory of Netty's allocators "
                + peak.get() / MIB + " MiB");
        assertThat(peak.get()).as("peak direct memory of Netty's allocators").isLessThan(128 * MIB);
    }

    private static long usedDirectMemory() {
        long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                && ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT) {
            used += p.metric().usedDirectMemory();
        }
        return used;
    }

    @Test
    void server_sent_events_arrive_one_by_one_before_the_stream_ends() throws Exception {
        HttpResponse<InputStream> r = get("/proxy2/origin/sse?n=2&gapMillis=3000");
        assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
        BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("data: event 0");
        // The second event is sent 3 s after the first: the first came through without waiting for the rest.
        assertThat(origin.sseEventsSent()).isEqualTo(1);
        assertThat(lines.readLine()).isEmpty();
        assertThat(lines.readLine()).isEqualTo("data: event 1");
    }

    @Test
    void upstream_connections_are_reused_across_sequential_requests() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(getText("/proxy2/origin/hello?i=" + i).body()).isEqualTo("ok");
        }
        assertThat(origin.requests()).isEqualTo(20);
        assertThat(origin.connections()).isEqualTo(1);
        assertThat(gateway.initializer().proxy().idleUpstreamConnections()).isEqualTo(1);
    }

    @Test
    void idle_upstream_connections_are_closed_before_the_origin_would_close_them() throws Exception {
        assertThat(getText("/proxy2/origin/hello").body()).isEqualTo("ok");
        assertThat(gateway.initializer().proxy().idleUpstreamConnections()).isEqualTo(1);
        await().atMost(Duration.ofMillis(UpstreamPools.IDLE_EVICT_MILLIS + 10_000))
                .until(() -> gateway.initializer().proxy().idleUpstreamConnections() == 0);
        assertThat(getText("/proxy2/origin/again").body()).isEqualTo("ok");
        assertThat(origin.connections()).isEqualTo(2);
    }

    @Test
    void a_dead_pooled_connection_is_retried_once_on_a_new_one() throws Exception {
        origin.resetReusedConnections(true);
        assertThat(getText("/proxy2/origin/first").statusCode()).isEqualTo(200);
        HttpResponse<String> second = getText("/proxy2/origin/second");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("ok");
        assertThat(origin.connections()).isEqualTo(2);
    }

    @Test
    void a_refused_connection_is_a_502_with_the_reference_text() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        nodes.node("gone", "127.0.0.1", Integer.toString(closedPort));
        HttpResponse<String> r = getText("/proxy2/gone/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"detail\":\"Failed to connect to target service 127.0.0.1:" + closedPort + "\"}");
        HttpResponse<String> viaAddress = getText("/proxy/127.0.0.1/" + closedPort + "/x");
        assertThat(viaAddress.statusCode()).isEqualTo(502);
    }

    @Test
    void an_origin_that_does_not_answer_in_time_is_a_504_with_the_reference_text() throws Exception {
        HttpResponse<String> r = getText("/proxy2/origin/stall");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("{\"detail\":\"Connection to target service 127.0.0.1:" + origin.port()
                + " timed out\"}");
    }

    @Test
    void waiting_for_a_free_connection_past_the_connect_timeout_is_a_504() throws Exception {
        gateway.close();
        gateway = ProxyTestGateway.start(nodes, new Router(), ProxyTestGateway.config(Map.of(
                "connectTimeout", Duration.ofMillis(300), "responseTimeout", Duration.ofSeconds(5),
                "maxConnectionsPerNode", 1)));
        var stalled = http.sendAsync(HttpRequest.newBuilder(uri("/proxy2/origin/stall")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests() == 1);
        HttpResponse<String> r = getText("/proxy2/origin/hello");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("timed out");
        assertThat(stalled.get().statusCode()).isEqualTo(504);
    }

    @Test
    void a_response_cut_short_closes_the_client_connection_instead_of_inventing_an_end() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/cut HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response r = c.read(); // reads up to the announced 1000 bytes, or the close
            assertThat(r.header("content-length")).isEqualTo("1000");
            assertThat(r.body()).hasSize(100);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(getText("/proxy2/origin/after").body()).isEqualTo("ok");
    }

    @Test
    void HEAD_204_and_304_responses_carry_no_body_and_keep_the_connection_in_step() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("HEAD /proxy2/origin/bytes?n=1000 HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("1000");
            c.send("GET /proxy2/origin/status?code=204 HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(204);
            c.send("GET /proxy2/origin/status?code=304 HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response notModified = c.read();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("etag")).isEqualTo("\"v1\"");
            c.send("GET /proxy2/origin/last HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response last = c.read();
            assertThat(last.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void set_cookie_stays_repeated_hop_by_hop_fields_go_and_redirects_pass_through() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/cookies HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.headers("set-cookie")).containsExactly("a=1; Path=/", "b=2; Path=/");
            assertThat(r.header("x-origin-private")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("proxy-authenticate")).isNull();
            assertThat(r.header("connection")).isNull();
            assertThat(r.header("location")).isEqualTo("/elsewhere");
            c.send("GET /proxy2/origin/redirect HTTP/1.1\r\nHost: gw\r\n\r\n");
            RawHttpClient.Response redirect = c.read();
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("location")).isEqualTo("http://127.0.0.1:1/elsewhere");
        }
    }

    @Test
    void the_upstream_request_has_the_raw_path_and_query_and_rewritten_headers() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/headers?a=1&a=2&b=%2F+x%20y HTTP/1.1\r\nHost: gw.example\r\n"
                    + "Connection: keep-alive, X-Private\r\nX-Private: secret\r\nProxy-Authorization: Basic x\r\n"
                    + "TE: trailers\r\nX-Forwarded-For: 10.1.2.3\r\nX-Keep: 1\r\nX-Keep: 2\r\n\r\n");
            String seen = c.read().bodyText();
            assertThat(seen).startsWith("GET /headers?a=1&a=2&b=%2F+x%20y HTTP/1.1\n");
            assertThat(seen).contains("host: 127.0.0.1:" + origin.port() + "\n", "x-forwarded-for: 10.1.2.3, 127.0.0.1\n",
                    "x-forwarded-host: gw.example\n", "x-forwarded-proto: http\n", "x-lmcache-gateway-hops: 1\n",
                    "x-keep: 1\nx-keep: 2\n");
            assertThat(seen).doesNotContain("x-private", "proxy-authorization", "te:", "connection");
        }
    }

    @Test
    void a_client_that_leaves_mid_body_frees_everything_and_the_gateway_keeps_serving() throws Exception {
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("GET /proxy2/origin/bytes?n=" + 256 * MIB + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            c.socket().getInputStream().readNBytes((int) MIB);
        }
        try (RawHttpClient c = new RawHttpClient(gateway.port())) {
            c.send("POST /proxy2/origin/sha256 HTTP/1.1\r\nHost: gw\r\nContent-Length: " + 100 * MIB + "\r\n\r\n");
            c.sendBytes(FakeOrigin.patternBytes((int) MIB));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(getText("/proxy2/origin/after" + i).body()).isEqualTo("ok");
        }
    }
}
