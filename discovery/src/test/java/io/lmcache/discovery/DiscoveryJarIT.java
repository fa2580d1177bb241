package io.lmcache.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launches the real {@code lmcache-discovery.jar} with {@code java -jar} and talks to it over loopback. */
class DiscoveryJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Process process;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("lmcache.project.root", ".."), "discovery", "target",
                "lmcache-discovery.jar");
        assertThat(jar).as("run after package").exists();
        return jar;
    }

    private int launch(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-Xmx256m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "discovery-output");
        reader.setDaemon(true);
        reader.start();
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String line : output) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
            }
            assertThat(process.isAlive()).as("discovery exited early: %s", output).isTrue();
            return false;
        });
        return port[0];
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
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
        await().atMost(Duration.ofSeconds(30)).until(() -> output.stream().anyMatch(l -> l.contains("expired")));
        assertThat(Json.MAPPER.readTree(send(port, "GET", "/lmcache_infos").body()).get("processCount").intValue())
                .isZero();
        assertThat(output).anyMatch(l -> l.contains("node http://127.0.0.1:8001 registered"))
                .anyMatch(l -> l.contains("node http://127.0.0.1:8002 deregistered"))
                .anyMatch(l -> l.contains("node http://127.0.0.1:8001 is stale"));

        // Process.destroy() would send SIGTERM too, but it closes our end of stdout at once and the shutdown log is lost.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output)
                .anyMatch(l -> l.contains("discovery service stopped")));
        assertThat(output).anyMatch(l -> l.contains("shutdown requested"))
                .anyMatch(l -> l.contains("discovery service stopped"))
                .noneMatch(l -> l.contains("LEAK:"))
                .noneMatch(l -> l.contains("Exception"));
    }

    @Test
    void help_version_and_bad_options_answer_without_starting_a_server() throws Exception {
        Process help = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString(), "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor()).isZero();
        assertThat(text.replaceAll("\\s+", " ")).contains("--host", "--port", "--ttl", "--max-nodes", "--log-level", "--transport",
                "default: 5000", "default: 90s", "default: 10000");

        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString(), "--version").redirectErrorStream(true).start();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("lmcache-discovery");
        assertThat(version.waitFor()).isZero();

        Process bad = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString(), "--ttl", "soon").redirectErrorStream(true).start();
        assertThat(new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("soon");
        assertThat(bad.waitFor()).isEqualTo(2);
    }

    @Test
    void a_taken_port_is_reported_in_one_line_and_the_process_exits() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar().toString(), "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()))
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(p.exitValue()).isEqualTo(1);
        }
    }
}
