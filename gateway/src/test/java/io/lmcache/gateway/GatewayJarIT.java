package io.lmcache.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launches the real {@code lmcache-gateway.jar}: start-up lines, embedded discovery, SIGTERM shutdown. */
class GatewayJarIT {
    private static final Pattern RUNNING = Pattern.compile("Monitoring service running at http://127\\.0\\.0\\.1:(\\d+)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;
    private Thread reader;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("lmcache.project.root", ".."), "gateway", "target", "lmcache-gateway.jar");
        assertThat(jar).as("run after package").exists();
        return jar;
    }

    private void launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-Xmx256m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "gateway-output");
        reader.setDaemon(true);
        reader.start();
    }

    private int awaitPort() {
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String line : output) {
                Matcher m = RUNNING.matcher(line);
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
            }
            assertThat(process.isAlive()).as("gateway exited early: %s", output).isTrue();
            return false;
        });
        return port[0];
    }

    private void terminateAndCheck() throws InterruptedException, IOException {
        // Process.destroy() sends SIGTERM too, but closes our end of stdout at once, losing the shutdown lines.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM: %s", output).isTrue();
        reader.join(5_000); // the last lines
        assertThat(output).noneMatch(l -> l.contains("LEAK:"));
        assertThat(output).noneMatch(l -> l.contains("Exception in thread"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_jar_alone_serves_embedded_discovery_prints_the_references_lines_and_stops_on_sigterm() throws Exception {
        launch("--host", "127.0.0.1", "--port", "0", "--log-level", "info");
        int port = awaitPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stream()
                .anyMatch(l -> l.equals("Node management: http://127.0.0.1:" + port + "/static/index.html")));
        assertThat(output).contains("Node source: embedded discovery", "Heartbeat URL not configured, heartbeat disabled");
        assertThat(TestHttp.get(port, "/health").body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"lmcache-monitor\"}");
        assertThat(TestHttp.get(port, "/lmcache_heartbeat?api_address=http%3A%2F%2F127.0.0.1%3A9&pid=1").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                TestHttp.get(port, "/api/nodes").json().get("nodes").size() == 1);
        terminateAndCheck();
        assertThat(output).contains("Shutting down").anyMatch(l -> l.contains("gateway stopped"));
    }

    @Test
    void no_http_only_beats_and_deregisters_on_sigterm() throws Exception {
        List<String> beats = new CopyOnWriteArrayList<>();
        List<String> deregistered = new CopyOnWriteArrayList<>();
        try (HttpServer discovery = TestHttp.fake(new Router()
                .get("/lmcache_heartbeat", ex -> {
                    beats.add(ex.queryParam("api_address"));
                    ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
                })
                .get("/lmcache_deregister", ex -> {
                    deregistered.add(ex.queryParam("api_address"));
                    ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
                }))) {
            launch("--no-http", "--port", "8123", "--report-host", "127.0.0.1",
                    "--nodes", "[{\"name\":\"n\",\"host\":\"127.0.0.1\",\"port\":9}]",
                    "--heartbeat-url", "http://127.0.0.1:" + discovery.port() + "/lmcache_heartbeat");
            await().atMost(Duration.ofSeconds(30)).until(() -> !beats.isEmpty());
            assertThat(beats.get(0)).isEqualTo("http://127.0.0.1:8123");
            assertThat(output).noneMatch(l -> l.startsWith("Monitoring service running"));
            terminateAndCheck();
            assertThat(deregistered).containsExactly("http://127.0.0.1:8123");
        }
    }
}
