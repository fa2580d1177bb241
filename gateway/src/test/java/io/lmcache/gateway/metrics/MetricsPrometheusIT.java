package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.common.http.Json;
import io.lmcache.gateway.Gateway;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged {@code /metrics} of a real gateway ({@code --nodes} over simulated MP servers, plus one dead node) as
 * Prometheus sees it: {@code promtool check metrics} accepts it, and a real {@code prometheus} server scraping the
 * gateway records {@code up 1} and every node's series with its {@code node} label. Skipped only when the Debian
 * {@code prometheus} package is not installed (CI installs it).
 */
class MetricsPrometheusIT {
    private static final File PROMETHEUS = new File("/usr/bin/prometheus");
    private static final Duration GENEROUS = Duration.ofSeconds(90);
    private static final List<String> NODES = List.of("sim-a", "sim-b", "sim-c");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<SimulatedMpServer> sims = new ArrayList<>();
    private Gateway gateway;
    private Process prometheus;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        sims.forEach(SimulatedMpServer::close);
    }

    private void startFleet() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (String name : NODES) {
            SimulatedMpServer sim = SimulatedMpServer.start(
                    SimulatorOptions.builder().host("127.0.0.1").port(0).name(name).build());
            sims.add(sim);
            json.append("{\"name\":\"").append(name).append("\",\"host\":\"127.0.0.1\",\"port\":").append(sim.port())
                    .append("},");
        }
        json.append("{\"name\":\"dead-d\",\"host\":\"127.0.0.1\",\"port\":").append(freePort()).append("}]");
        gateway = Gateway.start(MetricsTestGateway.config(Map.of("host", "127.0.0.1", "port", 0,
                "nodesJson", json.toString(), "metricsTimeout", Duration.ofSeconds(3))));
    }

    private String get(int port, String pathAndQuery) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", pathAndQuery).isEqualTo(200);
        return r.body();
    }

    @Test
    void promtool_accepts_the_merged_output_of_simulated_nodes() throws Exception {
        assumeTrue(Promtool.available(), "promtool is not installed (Debian package prometheus)");
        startFleet();
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(get(gateway.port(), "/metrics"))
                .contains("lmcache_gateway_scrape_up{node=\"sim-c\"} 1\n"));
        String merged = get(gateway.port(), "/metrics");
        assertThat(merged).contains("lmcache_gateway_scrape_up{node=\"dead-d\"} 0\n",
                "\nlmcache_gateway_node_tree_age_seconds ").doesNotContain("lmcache_gateway_node_tree_age_seconds NaN");
        for (String node : NODES) {
            assertThat(merged).contains("lmcache:num_hit_tokens_total{node=\"" + node + "\",");
        }
        Promtool.Result check = Promtool.check(merged);
        assertThat(check.acceptable()).as("promtool %s:%n%s", check.exitCode(), check.output()).isTrue();
    }

    @Test
    void a_real_prometheus_scrapes_every_nodes_series_through_the_gateway() throws Exception {
        assumeTrue(PROMETHEUS.canExecute(), "prometheus is not installed (Debian package prometheus)");
        startFleet();
        int promPort = freePort();
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: lmcache-gateway
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(gateway.port()));
        prometheus = new ProcessBuilder(PROMETHEUS.getPath(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();

        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonNode up = query(promPort, "up{job=\"lmcache-gateway\"}");
            assertThat(up.size()).isEqualTo(1);
            assertThat(up.get(0).get("value").get(1).asText()).isEqualTo("1");
        });
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(nodesOf(series(promPort, "lmcache:num_hit_tokens_total"))).containsExactlyInAnyOrderElementsOf(NODES);
            assertThat(nodesOf(series(promPort, "lmcache:time_to_retrieve_bucket"))).containsExactlyInAnyOrderElementsOf(NODES);
            assertThat(nodesOf(series(promPort, "lmcache_gateway_scrape_up")))
                    .containsExactlyInAnyOrder("sim-a", "sim-b", "sim-c", "dead-d");
        });
        JsonNode scrapeUp = query(promPort, "lmcache_gateway_scrape_up");
        for (JsonNode s : scrapeUp) {
            String expected = s.get("metric").get("node").asText().equals("dead-d") ? "0" : "1";
            assertThat(s.get("value").get(1).asText()).as(s.toString()).isEqualTo(expected);
        }
        // The gateway's own families come along, without a node label.
        assertThat(query(promPort, "lmcache_gateway_client_connections")).hasSize(1);
    }

    private JsonNode query(int port, String promql) throws Exception {
        JsonNode r = Json.MAPPER.readTree(get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        assertThat(r.get("status").asText()).isEqualTo("success");
        return r.get("data").get("result");
    }

    private JsonNode series(int port, String metric) throws Exception {
        JsonNode r = Json.MAPPER.readTree(get(port, "/api/v1/series?match[]="
                + URLEncoder.encode(metric, StandardCharsets.UTF_8)));
        assertThat(r.get("status").asText()).isEqualTo("success");
        return r.get("data");
    }

    private static Set<String> nodesOf(JsonNode series) {
        Set<String> nodes = new HashSet<>();
        series.forEach(s -> nodes.add(s.get("node").asText()));
        return nodes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
