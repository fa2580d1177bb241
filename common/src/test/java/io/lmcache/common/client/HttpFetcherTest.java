package io.lmcache.common.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.LocalBodyAggregator;
import io.lmcache.common.http.LocalHttpHandler;
import io.lmcache.common.http.RequestGuard;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.http.StrictHttpServerCodec;
import io.lmcache.common.net.Transport;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pooled control-plane client against a real loopback server that counts the connections it accepts. */
class HttpFetcherTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AttributeKey<AtomicInteger> REQUESTS_ON_CONNECTION = AttributeKey.valueOf("test.requests");

    private final AtomicInteger accepted = new AtomicInteger();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private HttpServer server;
    private HttpFetcher fetcher;
    private HttpTarget target;

    @BeforeEach
    void start() throws InterruptedException {
        Router router = new Router()
                .get("/hello", ex -> ex.json(HttpResponseStatus.OK, "hello"))
                .get("/big", ex -> ex.respond(Responses.text(HttpResponseStatus.OK, "x".repeat(10_000))))
                .get("/stall", ex -> { }) // never answers
                .get("/second-request-closes", ex -> {
                    // Models a server whose keep-alive timer fired just as the client reused the connection.
                    var requests = ex.ctx().channel().attr(REQUESTS_ON_CONNECTION);
                    requests.setIfAbsent(new AtomicInteger());
                    int n = requests.get().incrementAndGet();
                    if (n >= 2) {
                        ex.ctx().channel().close();
                    } else {
                        ex.json(HttpResponseStatus.OK, "answer " + n);
                    }
                });
        HttpLimits limits = HttpLimits.DEFAULTS;
        server = HttpServer.start("fetcher-test", "127.0.0.1", 0, Transport.select("auto"), 1,
                new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        connections.add(ch);
                        ch.pipeline().addLast(new StrictHttpServerCodec(limits), new RequestGuard(),
                                new LocalBodyAggregator(limits.maxLocalBodyBytes()), new LocalHttpHandler(router));
                    }
                });
        fetcher = new HttpFetcher(Transport.select("auto"));
        target = HttpTarget.of("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    private FetchResult get(String path) throws Exception {
        return fetcher.get(target, path, TIMEOUT, 64 * 1024).get(30, TimeUnit.SECONDS);
    }

    @Test
    void sequential_calls_reuse_one_pooled_connection() throws Exception {
        for (int i = 0; i < 5; i++) {
            FetchResult r = get("/hello");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyUtf8()).isEqualTo("\"hello\"");
            assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        }
        assertThat(accepted).hasValue(1);
        assertThat(fetcher.idleConnections()).isEqualTo(1);
    }

    @Test
    void a_target_given_by_host_name_is_looked_up_and_fetched() throws Exception {
        FetchResult r = fetcher.get(HttpTarget.of("localhost", server.port()), "/hello", TIMEOUT, 1024)
                .get(30, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void a_non_2xx_answer_is_a_result_not_a_failure() throws Exception {
        FetchResult r = get("/missing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.bodyUtf8()).contains("Not Found");
    }

    @Test
    void a_stalled_response_fails_with_a_timeout_exception() {
        assertThatThrownBy(() -> fetcher.get(target, "/stall", Duration.ofMillis(300), 1024).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(fetcher.idleConnections()).isZero(); // a timed-out connection is never pooled
    }

    @Test
    void a_refused_connection_fails_with_a_connect_exception() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpTarget nobody = HttpTarget.of("127.0.0.1", closedPort);
        assertThatThrownBy(() -> fetcher.get(nobody, "/", TIMEOUT, 1024).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void a_body_over_the_bound_fails_and_a_body_within_it_succeeds() throws Exception {
        assertThatThrownBy(() -> fetcher.get(target, "/big", TIMEOUT, 1000).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TooLongHttpContentException.class);
        assertThat(fetcher.get(target, "/big", TIMEOUT, 10_000).get(30, TimeUnit.SECONDS).body()).hasSize(10_000);
    }

    @Test
    void a_pooled_connection_the_server_closed_while_idle_is_replaced() throws Exception {
        assertThat(get("/hello").status()).isEqualTo(200);
        connections.close().sync();
        await().atMost(Duration.ofSeconds(10)).until(() -> fetcher.idleConnections() == 0);
        assertThat(get("/hello").status()).isEqualTo(200);
        assertThat(accepted).hasValue(2);
    }

    @Test
    void a_pooled_connection_that_dies_before_answering_is_retried_once_on_a_new_connection() throws Exception {
        assertThat(get("/second-request-closes").bodyUtf8()).isEqualTo("\"answer 1\"");
        assertThat(fetcher.idleConnections()).isEqualTo(1);
        // Reused connection: the server closes it without a byte of response, so the call goes to a new one.
        assertThat(get("/second-request-closes").bodyUtf8()).isEqualTo("\"answer 1\"");
        assertThat(accepted).hasValue(2);
    }

    @Test
    void concurrent_calls_open_extra_connections_and_all_complete() throws Exception {
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<FetchResult>>();
        for (int i = 0; i < 20; i++) {
            futures.add(fetcher.get(target, "/hello", TIMEOUT, 1024));
        }
        for (var f : futures) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(accepted.get()).isBetween(1, 20);
        assertThat(fetcher.idleConnections()).isBetween(1, 8);
    }
}
