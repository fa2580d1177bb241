package io.lmcache.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import io.lmcache.common.testing.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar lmcache-gateway.jar demo}: a real process that comes up populated and stops cleanly on SIGTERM. */
class DemoJarIT {
    private static final Pattern DASHBOARD_URL = Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:(\\d+)/)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void demo_serves_a_populated_dashboard_within_seconds_and_stops_cleanly_on_sigterm() throws Exception {
        try (JavaProcess demo = launch("demo", "--port", "0", "--nodes", "2", "--heartbeat-interval", "500ms")) {
            String url = demo.awaitGroup(DASHBOARD_URL, Duration.ofSeconds(60));

            HttpResponse<String> page = get(url);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("LMCache Cluster Monitoring");
            assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'self'"));

            List<String> leaves = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> leafNames(url), l -> l.size() == 2);
            for (String leaf : leaves) {
                HttpResponse<String> status = get(url + "proxy2/" + URLEncoder.encode(leaf, StandardCharsets.UTF_8) + "/status");
                assertThat(status.statusCode()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(status.body()).path("engine_type").asText()).isEqualTo("MPCacheEngine");
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(url + "metrics").body()).contains("lmcache:num_retrieve_requests_total{node=\"" + leaves.get(0) + "\""));
            demo.terminate(Duration.ofSeconds(30));
            demo.assertNoLeak();
            assertThat(demo.output).noneMatch(line -> line.contains("LEAK:"))
                    .noneMatch(line -> line.contains("Exception"));
        }
    }

    @Test
    void demo_help_explains_every_option() throws Exception {
        try (JavaProcess help = launch("demo", "--help")) {
            assertThat(help.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(help.text()).contains("--port").contains("--nodes").contains("--host")
                    .contains("--heartbeat-interval").contains("--refresh-interval").contains("--log-level");
        }
    }

    private static JavaProcess launch(String... args) throws IOException {
        return JavaProcess.jar(JavaProcess.moduleJar("gateway", "lmcache-gateway.jar"), args);
    }

    private List<String> leafNames(String url) {
        try {
            List<String> names = new ArrayList<>();
            for (JsonNode proxy : Json.MAPPER.readTree(get(url + "api/nodes").body()).path("nodes")) {
                for (JsonNode leaf : proxy.path("children")) {
                    names.add(leaf.path("name").asText());
                }
            }
            return names;
        } catch (Exception e) {
            return List.of();
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
