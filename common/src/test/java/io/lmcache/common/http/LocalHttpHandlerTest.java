package io.lmcache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.net.Transport;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local server pipeline (codec, guard, aggregator, router) over real loopback sockets. */
class LocalHttpHandlerTest {
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();
    private static HttpServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        Router router = new Router()
                // Answers from another thread, after the next pipelined request has already arrived.
                .get("/slow", ex -> LATER.schedule(() -> ex.json(HttpResponseStatus.OK, "slow"), 300,
                        TimeUnit.MILLISECONDS))
                .get("/fast", ex -> ex.json(HttpResponseStatus.OK, "fast"))
                .get("/items/{id}", ex -> ex.json(HttpResponseStatus.OK, ex.pathParam("id") + "|" + ex.queryParam("q")))
                .post("/echo", ex -> ex.respond(Responses.text(HttpResponseStatus.OK, ex.bodyUtf8())))
                .add(HttpMethod.PUT, "/echo", ex -> ex.json(HttpResponseStatus.OK, "put"))
                .get("/boom", ex -> {
                    throw new IllegalStateException("broken handler");
                });
        server = HttpServer.startLocal("local-test", "127.0.0.1", 0, Transport.select("auto"), 1,
                new HttpLimits(1024, 2048, 1024), router);
    }

    @AfterAll
    static void stop() {
        server.close();
        LATER.shutdownNow();
    }

    @Test
    void pipelined_requests_sent_in_one_write_are_answered_in_order_even_when_the_first_answers_late()
            throws Exception {
        String reply = RawClient.exchange(server.port(), "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /items/7?q=a+b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        int slow = reply.indexOf("\"slow\"");
        int fast = reply.indexOf("\"fast\"");
        int item = reply.indexOf("\"7|a b\"");
        assertThat(slow).as(reply).isPositive();
        assertThat(fast).as(reply).isGreaterThan(slow);
        assertThat(item).as(reply).isGreaterThan(fast);
        assertThat(reply.split("HTTP/1.1 200 OK", -1)).hasSize(4);
    }

    @Test
    void unknown_paths_get_404_and_wrong_methods_405_with_allow() throws Exception {
        String missing = RawClient.exchange(server.port(), "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(missing).startsWith("HTTP/1.1 404").endsWith("{\"detail\":\"Not Found\"}");
        String wrong = RawClient.exchange(server.port(),
                "DELETE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(wrong).startsWith("HTTP/1.1 405").contains("allow: POST, PUT")
                .endsWith("{\"detail\":\"Method Not Allowed\"}");
    }

    @Test
    void a_body_over_the_local_limit_gets_413_and_a_closed_connection() throws Exception {
        String small = RawClient.exchange(server.port(),
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertThat(small).startsWith("HTTP/1.1 200").endsWith("hello");
        String big = RawClient.exchange(server.port(),
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));
        assertThat(big).startsWith("HTTP/1.1 413").contains("connection: close").contains("\"detail\"");
    }

    @Test
    void limits_and_ambiguous_lengths_are_answered_with_a_status_then_closed() throws Exception {
        assertThat(RawClient.exchange(server.port(), "GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 414").contains("Request line too long");
        assertThat(RawClient.exchange(server.port(),
                "GET /fast HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431").contains("\"detail\"");
        assertThat(RawClient.exchange(server.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("Transfer-Encoding and Content-Length");
        assertThat(RawClient.exchange(server.port(), "NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void a_malformed_percent_escape_in_the_path_gets_400_and_the_connection_stays_usable() throws Exception {
        String reply = RawClient.exchange(server.port(), "GET /items/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 400").contains("Malformed request path");
        assertThat(reply).contains("\"fast\"");
    }

    @Test
    void a_failing_handler_gets_500_with_a_detail() throws Exception {
        assertThat(RawClient.exchange(server.port(), "GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 500").contains("IllegalStateException");
    }

    @Test
    void head_gets_the_get_headers_without_a_body_and_http_1_0_keep_alive_is_honoured() throws Exception {
        String head = RawClient.exchange(server.port(), "HEAD /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: 6").endsWith("\r\n\r\n");
        String http10 = RawClient.exchange(server.port(), "GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET /fast HTTP/1.0\r\n\r\n");
        assertThat(http10.split("\"fast\"", -1)).hasSize(3);
        assertThat(http10).contains("connection: keep-alive").contains("connection: close");
    }
}
