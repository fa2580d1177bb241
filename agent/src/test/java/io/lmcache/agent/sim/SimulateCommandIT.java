package io.lmcache.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.agent.testing.FakeDiscovery;
import io.lmcache.common.testing.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar lmcache-agent.jar simulate}: nodes that answer and announce themselves, gone after SIGTERM. */
class SimulateCommandIT {
    private static final Pattern NODE = Pattern.compile("Simulated MP node (\\S+) at http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void simulated_nodes_serve_heartbeat_and_deregister_on_sigterm() throws Exception {
        Path jar = JavaProcess.projectRoot().resolve("agent/target/lmcache-agent.jar");
        HttpClient client = HttpClient.newHttpClient();
        try (FakeDiscovery discovery = FakeDiscovery.start(0);
             JavaProcess sim = JavaProcess.start(List.of(JavaProcess.java(), "-Dio.netty.leakDetection.level=paranoid",
                     "-Xmx128m", "-jar", jar.toString(), "simulate", "--count", "3", "--names", "a,b,c",
                     "--heartbeat-url", discovery.heartbeatUrl(), "--heartbeat-interval", "1"), dir, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sim.output.stream().filter(l -> NODE.matcher(l).find())
                    .count() == 3);
            for (String line : sim.output) {
                Matcher m = NODE.matcher(line);
                if (m.find()) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + m.group(2) + "/env")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.body()).contains("\"LMCACHE_NODE_NAME\": \"" + m.group(1) + "\"");
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> discovery.registered.size() == 3);
            sim.terminate(Duration.ofSeconds(15));
            assertThat(sim.process.exitValue()).as(sim.text()).isZero();
            assertThat(discovery.registered).isEmpty();
            sim.assertNoLeak();
        }
    }
}
