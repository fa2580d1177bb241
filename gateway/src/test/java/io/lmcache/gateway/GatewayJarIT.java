package io.lmcache.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.testing.JavaProcess;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launches the real {@code lmcache-gateway.jar}: start-up lines, embedded discovery, SIGTERM shutdown. */
class GatewayJarIT {
    private static final Pattern RUNNING = Pattern.compile("Monitoring service running at http://127\\.0\\.0\\.1:(\\d+)");

    private JavaProcess process;
    private List<String> output;

    private void launch(String... args) throws IOException {
        process = JavaProcess.jar(JavaProcess.moduleJar("gateway", "lmcache-gateway.jar"), args);
        output = process.output;
    }

    private int awaitPort() {
        return Integer.parseInt(process.awaitGroup(RUNNING, Duration.ofSeconds(30)));
    }

    private void terminateAndCheck() throws InterruptedException, IOException {
        process.terminate(Duration.ofSeconds(20));
        process.assertNoLeak();
        assertThat(output).noneMatch(l -> l.contains("Exception in thread"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.close();
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
