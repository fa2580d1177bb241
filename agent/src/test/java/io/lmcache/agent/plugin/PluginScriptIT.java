package io.lmcache.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.testing.FakeDiscovery;
import io.lmcache.common.testing.JavaProcess;
import io.lmcache.common.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches {@code agent/plugin/lmcache_mp_frontend_plugin.sh} exactly as the MP server's plugin launcher does:
 * {@code bash <absolute path>}, no arguments, another working directory, the launcher's environment variables, and a
 * simulated MP node as the server being announced. Discovery is the real {@code lmcache-discovery.jar} (built earlier
 * in the reactor) and, independently of it, a loopback fake of the same contract.
 */
class PluginScriptIT {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path workDir;

    private static Path script() {
        Path p = JavaProcess.projectRoot().resolve("agent/plugin/lmcache_mp_frontend_plugin.sh");
        assertThat(p).exists();
        return p;
    }

    private static Map<String, String> launcherEnv(String config) {
        Map<String, String> env = new HashMap<>();
        env.put("LMCACHE_RUNTIME_PLUGIN_ROLE", "");
        env.put("LMCACHE_RUNTIME_PLUGIN_CONFIG", config);
        env.put("LMCACHE_RUNTIME_PLUGIN_WORKER_COUNT", "1");
        env.put("LMCACHE_RUNTIME_PLUGIN_WORKER_ID", "0");
        env.put("LMCACHE_PLUGIN_ROLE", "");
        env.put("LMCACHE_PLUGIN_CONFIG", config);
        env.put("LMCACHE_PLUGIN_WORKER_COUNT", "1");
        env.put("LMCACHE_PLUGIN_WORKER_ID", "0");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LMCACHE_AGENT_JAVA_OPTS", "-Dio.netty.leakDetection.level=paranoid");
        return env;
    }

    private static String config(int httpPort, String heartbeatUrl) {
        return "{\"mp_config\":{\"host\":\"localhost\",\"port\":5555,\"runtime_plugin_config\":{\"locations\":[\""
                + script() + "\"],\"extra_config\":{}}},\"storage_manager_config\":{\"l1_size_gb\":2.0,"
                + "\"eviction_policy\":\"LRU\"},\"obs_config\":{\"enabled\":true,\"path\":\"/tmp/x\"},"
                + "\"http_config\":{\"http_host\":\"0.0.0.0\",\"http_port\":" + httpPort + "},"
                + "\"runtime_plugin_extra_config\":{\"plugin.frontend.heartbeat-url\":\"" + heartbeatUrl + "\","
                + "\"plugin.frontend.heartbeat_interval\":\"1\",\"plugin.frontend.report-host\":\"127.0.0.1\","
                + "\"plugin.frontend.shiny_new_option\":\"x\",\"other.plugin.key\":1}}";
    }

    private JavaProcess launchPlugin(String config) throws Exception {
        return JavaProcess.start(List.of("bash", script().toString()), workDir, launcherEnv(config));
    }

    private JsonNode infos(int discoveryPort) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + discoveryPort + "/lmcache_infos")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    /** Runs the plugin against discovery at {@code discoveryPort} and checks its whole life. */
    private void registersThenDeregistersOnSigterm(int discoveryPort) throws Exception {
        try (SimulatedMpServer node = SimulatedMpServer.start("127.0.0.1", 0);
             JavaProcess plugin = launchPlugin(config(node.port(),
                     "http://127.0.0.1:" + discoveryPort + "/lmcache_heartbeat"))) {
            String address = "http://127.0.0.1:" + node.port();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(plugin.process.isAlive()).as("plugin exited: %s", plugin.text()).isTrue();
                return infos(discoveryPort).path("processInfos").has(address);
            });
            JsonNode entity = infos(discoveryPort).path("processInfos").path(address).path("lmCacheInfoEntities").get(0);
            assertThat(entity.get("apiAddress").asText()).isEqualTo(address);
            assertThat(entity.get("version").asText()).isEqualTo("0.3.9-sim");
            assertThat(entity.get("pid").asLong()).as("the MP server's pid: the launcher's").isEqualTo(
                    ProcessHandle.current().pid());
            JsonNode otherInfo = Json.MAPPER.readTree(entity.get("otherInfo").asText());
            assertThat(otherInfo.get("nodes_count").asInt()).isEqualTo(1);

            plugin.process.destroy(); // SIGTERM, as the launcher's stop_plugins
            assertThat(plugin.process.waitFor(10, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(plugin.process.exitValue()).as(plugin.text()).isZero();
            assertThat(infos(discoveryPort).path("processInfos").has(address)).as("deregistered at once").isFalse();
            String out = plugin.text();
            assertThat(out).contains("WARN").contains("plugin.frontend.shiny_new_option");
            assertThat(out).doesNotContain("other.plugin.key").doesNotContain("LEAK:");
        }
    }

    @Test
    void the_plugin_announces_the_mp_server_to_the_real_discovery_and_leaves_on_sigterm() throws Exception {
        Path jar = JavaProcess.projectRoot().resolve("discovery/target/lmcache-discovery.jar");
        Assumptions.assumeTrue(Files.exists(jar), "discovery jar not built: " + jar);
        try (JavaProcess discovery = JavaProcess.start(List.of(JavaProcess.java(), "-Xmx128m", "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", "0", "--log-level", "info"), workDir, Map.of())) {
            int port = Integer.parseInt(discovery.awaitGroup(LISTENING, Duration.ofSeconds(30)));
            registersThenDeregistersOnSigterm(port);
        }
    }

    @Test
    void the_plugin_speaks_the_discovery_contract() throws Exception {
        try (FakeDiscovery discovery = FakeDiscovery.start(0)) {
            registersThenDeregistersOnSigterm(discovery.port());
            assertThat(discovery.rawDeregistrations).hasSize(1);
        }
    }

    @Test
    void a_launch_without_http_config_exits_with_the_reason() throws Exception {
        try (JavaProcess plugin = launchPlugin("{\"mp_config\":{},\"runtime_plugin_extra_config\":"
                + "{\"plugin.frontend.heartbeat-url\":\"http://127.0.0.1:9/lmcache_heartbeat\"}}")) {
            assertThat(plugin.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(plugin.process.exitValue()).isNotZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> plugin.text().contains("no http_config"));
        }
    }

    @Test
    void a_missing_jar_is_reported_plainly() throws Exception {
        Map<String, String> env = launcherEnv(config(8085, "http://127.0.0.1:9/lmcache_heartbeat"));
        env.put("LMCACHE_AGENT_JAR", workDir.resolve("nope.jar").toString());
        try (JavaProcess plugin = JavaProcess.start(List.of("bash", script().toString()), workDir, env)) {
            assertThat(plugin.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(plugin.process.exitValue()).isNotZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> plugin.text().contains("agent jar not found"));
        }
    }
}
