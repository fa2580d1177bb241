package io.lmcache.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import io.lmcache.common.testing.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launches the real {@code lmcache-discovery.jar} with {@code java -jar} and talks to it over loopback. */
class DiscoveryJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JavaProcess process;

    private static Path jar() {
        return JavaProcess.moduleJar("discovery", "lmcache-discovery.jar");
    }

    private int launch(String... args) throws IOException {
        process = JavaProcess.jar(jar(), args);
        return Integer.parseInt(process.awaitGroup(LISTENING, Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    private HttpResponse<String> send(int port, String method, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_jar_registers_lists_expires_and_deregisters_nodes_and_stops_cleanly_on_sigterm() throws Exception {
        int port = launch("--host", "127.0.0.1", "--port", "0", "--ttl", "2s", "--log-level", "info");

        HttpResponse<String> health = send(port, "GET", "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(health.body()))
                .isEqualTo(Json.MAPPER.readTree("{\"status\":\"healthy\",\"service\":\"lmcache-discovery\"}"));

        String heartbeat = "/lmcache_heartbeat?pid=99&api_address=http%3A%2F%2F127.0.0.1%3A8001&version=0.3.9"
                + "&other_info=%7B%22startup_time%22%3A+%222025-01-02T03%3A04%3A05.000001%22%2C+%22nodes_count%22%3A+1%7D";
        assertThat(send(port, "GET", heartbeat).body()).isEqualTo("{\"status\":\"success\"}");
        assertThat(send(port, "GET", "/heartbeat?api_address=http://127.0.0.1:8002").statusCode()).isEqualTo(200);
        assertThat(send(port, "GET", "/heartbeat?api_address=gopher://x:1").statusCode()).isEqualTo(400);

        JsonNode infos = Json.MAPPER.readTree(send(port, "GET", "/lmcache_infos").body());
        assertThat(infos.get("processCount").intValue()).isEqualTo(2);
        JsonNode e = infos.at("/processInfos/http:~1~1127.0.0.1:8001/lmCacheInfoEntities/0");
        assertThat(e.get("otherInfo").textValue())
                .isEqualTo("{\"startup_time\": \"2025-01-02T03:04:05.000001\", \"nodes_count\": 1}");
        assertThat(e.get("pid").intValue()).isEqualTo(99);
        assertThat(e.get("startTime").textValue()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        assertThat(send(port, "DELETE", "/lmcache_deregister?api_address=http://127.0.0.1:8002").statusCode())
                .isEqualTo(200);
        String metrics = send(port, "GET", "/metrics").body();
        assertThat(metrics).contains("lmcache_discovery_heartbeats_total 2.0",
                "lmcache_discovery_deregistrations_total 1.0",
                "lmcache_discovery_rejected_heartbeats_total{reason=\"invalid_api_address\",} 1.0",
                "lmcache_discovery_nodes{state=\"up\",} 1.0");

        // The remaining node stops beating: stale after 1 s, gone after 2 s, and the sweep says so in the log.
        List<String> output = process.output;
        process.awaitLine(l -> l.contains("expired"), Duration.ofSeconds(30));
        assertThat(Json.MAPPER.readTree(send(port, "GET", "/lmcache_infos").body()).get("processCount").intValue())
                .isZero();
        assertThat(output).anyMatch(l -> l.contains("node http://127.0.0.1:8001 registered"))
                .anyMatch(l -> l.contains("node http://127.0.0.1:8002 deregistered"))
                .anyMatch(l -> l.contains("node http://127.0.0.1:8001 is stale"));

        process.terminate(Duration.ofSeconds(30));
        process.awaitLine(l -> l.contains("discovery service stopped"), Duration.ofSeconds(10));
        process.assertNoLeak();
        assertThat(output).anyMatch(l -> l.contains("shutdown requested"))
                .anyMatch(l -> l.contains("discovery service stopped"))
                .noneMatch(l -> l.contains("LEAK:"))
                .noneMatch(l -> l.contains("Exception"));
    }

    @Test
    void help_version_and_bad_options_answer_without_starting_a_server() throws Exception {
        try (JavaProcess help = JavaProcess.jar(jar(), "--help")) {
            assertThat(help.awaitExit(Duration.ofSeconds(60))).isZero();
            String text = help.text();
            assertThat(text.replaceAll("\\s+", " ")).contains("--host", "--port", "--ttl", "--max-nodes", "--log-level",
                    "--transport", "default: 5000", "default: 90s", "default: 10000");
        }

        try (JavaProcess version = JavaProcess.jar(jar(), "--version")) {
            assertThat(version.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(version.text()).contains("lmcache-discovery");
        }

        try (JavaProcess bad = JavaProcess.jar(jar(), "--ttl", "soon")) {
            assertThat(bad.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bad.text()).contains("soon");
        }
    }

    @Test
    void a_taken_port_is_reported_in_one_line_and_the_process_exits() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            try (JavaProcess p = JavaProcess.jar(jar(), "--host", "127.0.0.1", "--port",
                    Integer.toString(taken.getLocalPort()))) {
                assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(p.text()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }
    }
}
