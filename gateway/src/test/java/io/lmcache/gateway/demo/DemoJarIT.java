package io.lmcache.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar lmcache-gateway.jar demo}: a real process that comes up populated and stops cleanly on SIGTERM. */
class DemoJarIT {
    private static final Pattern DASHBOARD_URL = Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:(\\d+)/)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void demo_serves_a_populated_dashboard_within_seconds_and_stops_cleanly_on_sigterm() throws Exception {
        List<String> output = new ArrayList<>();
        Process demo = launch(output, "demo", "--port", "0", "--nodes", "2", "--heartbeat-interval", "500ms");
        try {
            String url = await().atMost(Duration.ofSeconds(60)).until(() -> dashboardUrl(output), u -> u != null);

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
        } finally {
            demo.destroy(); // SIGTERM
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("demo stopped after SIGTERM").isTrue();
        }
        synchronized (output) {
            assertThat(output).noneMatch(line -> line.contains("LEAK:"))
                    .noneMatch(line -> line.contains("Exception"));
        }
    }

    @Test
    void demo_help_explains_every_option() throws Exception {
        List<String> output = new ArrayList<>();
        Process help = launch(output, "demo", "--help");
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        synchronized (output) {
            assertThat(String.join("\n", output)).contains("--port").contains("--nodes").contains("--host")
                    .contains("--heartbeat-interval").contains("--refresh-interval").contains("--log-level");
        }
    }

    private static Process launch(List<String> output, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("lmcache.project.root", "..")).resolve("gateway/target/lmcache-gateway.jar");
        assertThat(Files.isRegularFile(jar)).as("the gateway jar is built: " + jar).isTrue();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static String dashboardUrl(List<String> output) {
        synchronized (output) {
            for (String line : output) {
                Matcher m = DASHBOARD_URL.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
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
