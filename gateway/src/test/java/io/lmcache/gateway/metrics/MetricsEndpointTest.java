package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    /** Small bounds so that the "big" node is over them and the answer spans many chunks. */
    private static final MetricsLimits SMALL = new MetricsLimits(64 * 1024, 10_000, 1024, 10_000);
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(GENEROUS).build();
    private FakeMetricsNodes nodes;
    private MetricsTestGateway gateway;

    @BeforeEach
    void startNodes() throws Exception {
        nodes = new FakeMetricsNodes();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        nodes.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery))
                .timeout(GENEROUS);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nodes_that_are_dead_slow_oversized_failing_or_not_metrics_are_down_and_the_rest_is_merged() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        for (String n : new String[] {"good-a", "html-b", "good-c", "fail-d", "big-e", "slow-f", "om-g"}) {
            gateway.addRoute(nodes.route(n));
        }
        gateway.addRoute(FakeMetricsNodes.deadRoute("dead-h"));

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
        String body = r.body();
        assertThat(body).endsWith("\n");
        for (String up : new String[] {"good-a", "good-c", "om-g"}) {
            assertThat(body).contains("lmcache_gateway_scrape_up{node=\"" + up + "\"} 1\n");
        }
        for (String down : new String[] {"html-b", "fail-d", "big-e", "slow-f", "dead-h"}) {
            assertThat(body).contains("lmcache_gateway_scrape_up{node=\"" + down + "\"} 0\n",
                    "lmcache_gateway_scrape_samples{node=\"" + down + "\"} 0\n");
        }
        assertThat(body).contains(
                "lmcache:num_hit_tokens_total{node=\"good-a\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\",worker_id=\"0\"} 6.1e+06\n",
                "lmcache:num_retrieve_requests_total{node=\"om-g\",model_name=\"m\",worker_id=\"0\"} 7.0\n",
                "lmcache_gateway_scrape_duration_seconds{node=\"good-a\"} ",
                "# TYPE jvm_threads_current gauge\n",
                "# TYPE lmcache_gateway_client_connections gauge\n");
        // one family, one TYPE line, although three nodes and OpenMetrics spelled it differently
        assertThat(body.split("# TYPE lmcache:num_retrieve_requests_total counter\n", -1)).hasSize(2);
        // the gateway's own process_cpu_seconds_total joins the nodes' family instead of repeating it
        assertThat(body.split("# TYPE process_cpu_seconds_total ", -1)).hasSize(2);
        assertThat(body).contains("process_cpu_seconds_total{node=\"good-a\"} 1234.56\n");
        if (Promtool.available()) {
            Promtool.Result check = Promtool.check(body);
            assertThat(check.acceptable()).as("promtool %s:%n%s", check.exitCode(), check.output()).isTrue();
        }
    }

    @Test
    void with_no_nodes_the_answer_is_200_with_the_gateways_own_families() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("# TYPE lmcache_gateway_node_tree_age_seconds gauge\n", "jvm_memory_bytes_used{")
                .doesNotContain("lmcache_gateway_scrape_up{");
    }

    @Test
    void a_scrape_that_has_passed_the_hop_limit_answers_with_the_gateways_own_families_only() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        gateway.addRoute(nodes.route("good-a"));

        String withinLimit = get("/metrics", "X-LMCache-Gateway-Hops", "3").body();
        HttpResponse<String> atLimit = get("/metrics", "X-LMCache-Gateway-Hops", "4");
        HttpResponse<String> invalid = get("/metrics", "X-LMCache-Gateway-Hops", "many");

        assertThat(withinLimit).contains("lmcache_gateway_scrape_up{node=\"good-a\"} 1\n");
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(atLimit.body()).contains("# TYPE lmcache_gateway_client_connections gauge\n")
                .doesNotContain("lmcache_gateway_scrape_up{", "node=\"good-a\"");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("Invalid X-LMCache-Gateway-Hops header: 'many'");
    }

    @Test
    void no_more_nodes_than_the_concurrency_bound_are_scraped_at_once() throws Exception {
        gateway = new MetricsTestGateway(GENEROUS, 2, SMALL);
        for (int i = 0; i < 7; i++) {
            gateway.addRoute(nodes.route("delayed-" + i));
        }
        String body = get("/metrics").body();
        for (int i = 0; i < 7; i++) {
            assertThat(body).contains("lmcache_gateway_scrape_up{node=\"delayed-" + i + "\"} 1\n");
        }
        assertThat(nodes.maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void prometheus_scrape_timeout_header_shortens_the_deadline_of_a_slow_node() throws Exception {
        // Configured for 10 minutes: only the header can make this answer arrive before the client gives up.
        gateway = new MetricsTestGateway(Duration.ofMinutes(10), 4, SMALL);
        gateway.addRoute(nodes.route("slow-a"));
        gateway.addRoute(nodes.route("good-b"));
        HttpResponse<String> r = get("/metrics", MetricsEndpoint.SCRAPE_TIMEOUT_HEADER, "1");
        assertThat(r.body()).contains("lmcache_gateway_scrape_up{node=\"slow-a\"} 0\n",
                "lmcache_gateway_scrape_up{node=\"good-b\"} 1\n");
    }

    @Test
    void the_concat_format_keeps_the_originals_blocks_and_errors() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        HttpResponse<String> empty = get("/metrics?format=concat");
        assertThat(empty.statusCode()).isEqualTo(404);
        assertThat(empty.body()).isEqualTo("# No nodes available for metrics collection\n");

        gateway.addRoute(nodes.route("good-a"));
        gateway.addRoute(nodes.route("fail-b"));
        HttpResponse<String> r = get("/metrics?format=concat");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("# Metrics from node: good-a (127.0.0.1:" + nodes.route("good-a").target().port()
                + ")\n" + FakeMetricsNodes.LMCACHE_TEXT + "\n\n"
                + "# ERROR: Failed to get metrics from fail-b: HTTP status 500\n");
    }

    @Test
    void an_unknown_format_is_a_400_with_detail_and_head_gets_no_body() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        HttpResponse<String> bad = get("/metrics?format=json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"detail\"");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(GENEROUS).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void keep_alive_connections_serve_repeated_scrapes() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(2), 4, SMALL);
        gateway.addRoute(nodes.route("good-a"));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("lmcache_gateway_scrape_up{node=\"good-a\"} 1\n");
        }
    }

    @Test
    void a_client_that_hangs_up_mid_stream_leaves_the_gateway_serving_and_leak_free() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(5), 8, SMALL);
        for (int i = 0; i < 20; i++) {
            gateway.addRoute(nodes.route("good-" + i));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] head = new byte[64];
                assertThat(socket.getInputStream().read(head)).isPositive(); // the stream has started
            } // closed with most of the ~100 KiB answer unread
        }
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("lmcache_gateway_scrape_up{node=\"good-19\"} 1\n");
    }

    @Test
    void a_node_with_more_samples_than_the_bound_is_down_and_others_are_kept() throws Exception {
        gateway = new MetricsTestGateway(Duration.ofSeconds(5), 4, new MetricsLimits(64 * 1024, 20, 1024, 10_000));
        gateway.addRoute(nodes.route("good-many")); // ~50 samples
        gateway.addRoute(nodes.route("om-few")); // 2 samples
        String body = get("/metrics").body();
        assertThat(body).contains("lmcache_gateway_scrape_up{node=\"good-many\"} 0\n",
                        "lmcache_gateway_scrape_up{node=\"om-few\"} 1\n",
                        "lmcache:num_retrieve_requests_total{node=\"om-few\",")
                .doesNotContain("lmcache:num_hit_tokens_total{node=\"good-many\"");
    }
}
