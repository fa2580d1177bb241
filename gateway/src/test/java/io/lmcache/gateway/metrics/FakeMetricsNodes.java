package io.lmcache.gateway.metrics;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.nodes.Route;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loopback server playing many scripted nodes, each under its own path prefix {@code /<node>/metrics}; the
 * behaviour follows the node's name: {@code good*} realistic LMCache text, {@code om*} OpenMetrics, {@code html*} an
 * error page, {@code fail*} HTTP 500, {@code big*} a body over any small bound, {@code slow*} never answers,
 * {@code delayed*} answers good text after {@value #DELAY_MILLIS} ms while counting requests in flight.
 */
final class FakeMetricsNodes implements AutoCloseable {
    static final long DELAY_MILLIS = 300;
    static final String LMCACHE_TEXT = resource("/metrics-fixtures/lmcache-mp.prom");
    static final String OPENMETRICS_TEXT = """
            # HELP lmcache:num_retrieve_requests Total number of retrieve requests sent to lmcache
            # TYPE lmcache:num_retrieve_requests counter
            lmcache:num_retrieve_requests_total{model_name="m",worker_id="0"} 7.0 # {trace_id="t1"} 1.0
            lmcache:num_retrieve_requests_created{model_name="m",worker_id="0"} 1.7321e+09
            # EOF
            """;

    private final HttpServer server;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    FakeMetricsNodes() throws InterruptedException {
        Router router = new Router().get("/{node}/metrics", this::serve);
        server = HttpServer.startLocal("fake-nodes", "127.0.0.1", 0, Transport.select("auto"), 1, HttpLimits.DEFAULTS,
                router);
    }

    /** The route /metrics scrapes for a scripted node. */
    Route route(String node) {
        return new Route(node, HttpTarget.of("127.0.0.1", server.port()), "/" + node);
    }

    /** A node whose port refuses connections. */
    static Route deadRoute(String node) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new Route(node, HttpTarget.of("127.0.0.1", port), "");
    }

    private void serve(Exchange ex) {
        String node = ex.pathParam("node");
        if (node.startsWith("good")) {
            ex.respond(Responses.bytes(HttpResponseStatus.OK, MetricsEndpoint.CONTENT_TYPE, bytes(LMCACHE_TEXT)));
        } else if (node.startsWith("om")) {
            ex.respond(Responses.bytes(HttpResponseStatus.OK,
                    "application/openmetrics-text; version=1.0.0; charset=utf-8", bytes(OPENMETRICS_TEXT)));
        } else if (node.startsWith("html")) {
            ex.respond(Responses.bytes(HttpResponseStatus.OK, "text/html",
                    bytes("<!DOCTYPE html>\n<html><body>Login required</body></html>\n")));
        } else if (node.startsWith("fail")) {
            ex.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "boom");
        } else if (node.startsWith("big")) {
            ex.respond(Responses.bytes(HttpResponseStatus.OK, MetricsEndpoint.CONTENT_TYPE,
                    bytes(LMCACHE_TEXT.repeat(40))));
        } else if (node.startsWith("delayed")) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            ex.ctx().executor().schedule(() -> {
                inFlight.decrementAndGet();
                ex.respond(Responses.bytes(HttpResponseStatus.OK, MetricsEndpoint.CONTENT_TYPE, bytes(LMCACHE_TEXT)));
            }, DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        // slow*: never answers
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String resource(String path) {
        try (InputStream in = FakeMetricsNodes.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
