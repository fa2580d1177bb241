package io.lmcache.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedMpServerTest {
    private static SimulatedMpServer sim;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        sim = SimulatedMpServer.start(SimulatorOptions.builder().name("node-a").seed(7).version("0.3.9-abc123").build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_root_answers_like_an_mp_server() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\",\"service\":\"LMCache HTTP API\"}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void both_status_paths_carry_every_field_the_dashboard_reads() throws Exception {
        for (String path : List.of("/api/status", "/status")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode s = Json.MAPPER.readTree(r.body());
            assertThat(s.get("is_healthy").asBoolean()).isTrue();
            assertThat(s.get("engine_type").asText()).isEqualTo("MPCacheEngine");
            assertThat(s.get("chunk_size").asInt()).isEqualTo(256);
            assertThat(s.get("hash_algorithm").asText()).isEqualTo("blake3");
            assertThat(s.get("registered_gpu_ids").isArray()).isTrue();
            assertThat(s.at("/gpu_context_meta/0/model_name").asText()).isNotEmpty();
            assertThat(s.get("active_sessions").isInt()).isTrue();
            JsonNode l1 = s.at("/storage_manager/l1_manager");
            assertThat(l1.get("memory_total_bytes").asLong()).isPositive();
            assertThat(l1.get("memory_used_bytes").asLong()).isBetween(0L, l1.get("memory_total_bytes").asLong());
            assertThat(l1.get("total_object_count").isNumber()).isTrue();
            assertThat(s.at("/storage_manager/num_l2_adapters").asInt()).isZero();
            for (String f : List.of("pending_lookup_count", "next_prefetch_job_id")) {
                assertThat(s.get(f).isNumber()).as(f).isTrue();
            }
            assertThat(s.get("prefetch_job_ids").isArray()).isTrue();
            assertThat(s.get("pending_request_ids").isArray()).isTrue();
            assertThat(s.at("/periodic_threads/total_count").asInt()).isPositive();
            assertThat(s.at("/periodic_threads/running_count").isNumber()).isTrue();
            assertThat(s.at("/periodic_threads/active_count").isNumber()).isTrue();
            assertThat(s.at("/hit_stats/hit_rate").asDouble()).isBetween(0.0, 1.0);
            for (String f : List.of("total_requests", "total_tokens", "total_retrieved_tokens")) {
                assertThat(s.at("/hit_stats/" + f).isNumber()).as(f).isTrue();
            }
        }
    }

    @Test
    void status_values_move_over_time() throws Exception {
        JsonNode first = Json.MAPPER.readTree(get("/status").body());
        Thread.sleep(400);
        JsonNode second = Json.MAPPER.readTree(get("/status").body());
        assertThat(second.at("/hit_stats/total_tokens").asLong())
                .isGreaterThan(first.at("/hit_stats/total_tokens").asLong());
    }

    @Test
    void health_checks_answer_healthy() throws Exception {
        for (String path : List.of("/api/healthcheck", "/healthcheck")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void metrics_are_prometheus_text_with_lmcache_families_that_grow() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        String body = r.body();
        assertThat(body).contains("# TYPE lmcache:num_retrieve_requests_total counter\n");
        assertThat(body).contains("# TYPE lmcache:retrieve_hit_rate gauge\n");
        assertThat(body).contains("# TYPE lmcache:time_to_retrieve histogram\n");
        assertThat(body).contains("lmcache:time_to_retrieve_bucket{model_name=\"" + SimulatorOptions.DEFAULT_MODEL
                + "\",worker_id=\"0\",le=\"+Inf\"}");
        assertThat(body).contains("lmcache:time_to_retrieve_sum{").contains("lmcache:time_to_retrieve_count{");
        long before = sample(body, "lmcache:num_requested_tokens_total");
        Thread.sleep(400);
        long after = sample(get("/metrics").body(), "lmcache:num_requested_tokens_total");
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void promtool_parses_the_metrics_and_only_objects_to_lmcaches_colons() throws Exception {
        java.nio.file.Path promtool = java.nio.file.Path.of("/usr/bin/promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(promtool), "promtool installed");
        Thread.sleep(200);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(get("/metrics").body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isIn(0, 3); // 3 = lint findings only; 1 would be a parse error
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                assertThat(line).endsWith("metric names should not contain ':'");
            }
        }
    }

    @Test
    void histogram_buckets_are_cumulative_and_end_at_the_count() throws Exception {
        Thread.sleep(300);
        String body = get("/metrics").body();
        Matcher m = Pattern.compile("lmcache:time_to_retrieve_bucket\\{[^}]*le=\"([^\"]+)\"} ([0-9.eE+-]+)").matcher(body);
        double previous = -1;
        double last = -1;
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            assertThat(v).isGreaterThanOrEqualTo(previous);
            previous = v;
            last = v;
        }
        assertThat(last).isEqualTo((double) sample(body, "lmcache:time_to_retrieve_count"));
    }

    @Test
    void metrics_reset_restarts_the_counters() throws Exception {
        Thread.sleep(300);
        long before = sample(get("/metrics").body(), "lmcache:num_requested_tokens_total");
        HttpResponse<String> r = send("POST", "/metrics/reset");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(sample(get("/metrics").body(), "lmcache:num_requested_tokens_total")).isLessThan(before);
    }

    private static long sample(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*} ([0-9.eE+]+)$").matcher(body);
        assertThat(m.find()).as(name + " in\n" + body).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void version_is_a_quoted_json_string() throws Exception {
        assertThat(get("/version").body()).isEqualTo("\"0.3.9-abc123\"");
        assertThat(get("/lmc_version").body()).isEqualTo("\"0.3.9\"");
        assertThat(get("/commit_id").body()).isEqualTo("\"abc123\"");
    }

    @Test
    void conf_is_indented_json_with_the_mp_sections() throws Exception {
        HttpResponse<String> r = get("/conf");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\n  \"mp\": {");
        JsonNode conf = Json.MAPPER.readTree(r.body());
        assertThat(conf.fieldNames()).toIterable()
                .containsExactly("mp", "storage_manager", "observability", "http", "coordinator");
        assertThat(conf.at("/http/http_port").asInt()).isEqualTo(sim.port());
    }

    @Test
    void env_is_sorted_pretty_text_with_secret_looking_keys() throws Exception {
        HttpResponse<String> r = get("/env");
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        JsonNode env = Json.MAPPER.readTree(r.body());
        assertThat(env.has("HF_TOKEN")).isTrue();
        assertThat(env.get("LMCACHE_NODE_NAME").asText()).isEqualTo("node-a");
        List<String> keys = new java.util.ArrayList<>();
        env.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();
        assertThat(r.body()).startsWith("{\n  \"");
    }

    @Test
    void threads_are_a_filterable_json_list() throws Exception {
        JsonNode all = Json.MAPPER.readTree(get("/threads").body());
        assertThat(all.isArray()).isTrue();
        assertThat(all.size()).isGreaterThan(3);
        JsonNode first = all.get(0);
        for (String f : List.of("thread_id", "name", "state", "function_name", "cpu_time", "memory_usage")) {
            assertThat(first.has(f)).as(f).isTrue();
        }
        JsonNode filtered = Json.MAPPER.readTree(get("/threads?name=Eviction").body());
        assertThat(filtered.size()).isEqualTo(2);
        JsonNode byId = Json.MAPPER.readTree(get("/threads?thread_id=" + first.get("thread_id").asText()).body());
        assertThat(byId.size()).isEqualTo(1);
    }

    @Test
    void loglevel_lists_reads_sets_and_refuses_unknown_levels() throws Exception {
        assertThat(get("/loglevel").body()).startsWith("=== Loggers and Levels ===\n").contains("lmcache: INFO");
        assertThat(get("/loglevel?logger_name=lmcache.v1.cache").body()).isEqualTo("lmcache.v1.cache: INFO");
        HttpResponse<String> set = get("/loglevel?logger_name=lmcache.test&level=debug");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).isEqualTo("Set lmcache.test level to DEBUG (including all handlers)");
        assertThat(get("/loglevel?logger_name=lmcache.test").body()).isEqualTo("lmcache.test: DEBUG");
        HttpResponse<String> bad = get("/loglevel?logger_name=lmcache&level=TRACE");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("Invalid log level: TRACE");
    }

    @Test
    void routes_an_mp_node_does_not_serve_are_fastapi_404s() throws Exception {
        for (String path : List.of("/api/nodes", "/meta", "/inference_info")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        }
    }

    @Test
    void kv_retrieve_streams_the_requested_number_of_pattern_bytes() throws Exception {
        long total = 5L * 1024 * 1024 + 123;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port()
                + "/api/kv/retrieve?bytes=" + total)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue(Long.toString(total));
        long offset = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) (offset + i)) {
                        throw new AssertionError("wrong byte at " + (offset + i));
                    }
                }
                offset += n;
            }
        }
        assertThat(offset).isEqualTo(total);
        assertThat(get("/api/kv/retrieve?bytes=-1").statusCode()).isEqualTo(400);
        assertThat(get("/api/kv/retrieve?bytes=0").body()).isEmpty();
    }

    @Test
    void added_latency_delays_answers_and_failure_share_answers_503() throws Exception {
        try (SimulatedMpServer slow = SimulatedMpServer.start(SimulatorOptions.builder()
                .latency(Duration.ofMillis(300)).build());
             SimulatedMpServer failing = SimulatedMpServer.start(SimulatorOptions.builder().failureRate(1.0).build())) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + slow.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            HttpResponse<String> f = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + failing.port() + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(f.statusCode()).isEqualTo(503);
            assertThat(f.body()).contains("\"detail\"");
        }
    }

    @Test
    void a_socket_path_serves_the_same_routes_on_a_unix_socket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        for (String transport : List.of("nio", "auto")) {
            java.nio.file.Path socket = dir.resolve(transport + ".sock");
            try (SimulatedMpServer uds = SimulatedMpServer.start(SimulatorOptions.builder().transport(transport)
                    .socketPath(socket).version("1.0.0-uds").build());
                 io.lmcache.common.client.HttpFetcher fetcher = new io.lmcache.common.client.HttpFetcher(
                         io.lmcache.common.net.Transport.select(transport))) {
                assertThat(uds.socketPath()).isEqualTo(socket);
                var target = new io.lmcache.common.client.HttpTarget("localhost", socket.toString());
                var r = fetcher.get(target, "/version", Duration.ofSeconds(10), 1024).get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.bodyUtf8()).isEqualTo("\"1.0.0-uds\"");
                var s = fetcher.get(target, "/status", Duration.ofSeconds(10), 64 * 1024)
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(Json.MAPPER.readTree(s.body()).get("is_healthy").asBoolean()).isTrue();
            }
            assertThat(socket).doesNotExist();
        }
    }

    @Test
    void the_plain_start_keeps_its_signature_and_picks_a_free_port() throws Exception {
        try (SimulatedMpServer s = SimulatedMpServer.start("127.0.0.1", 0)) {
            assertThat(s.port()).isPositive().isNotEqualTo(sim.port());
        }
    }
}
