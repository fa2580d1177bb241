package io.lmcache.gateway.system;

import static io.lmcache.gateway.system.Fleet.GENEROUS;
import static io.lmcache.gateway.system.Fleet.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.testing.JavaProcess;
import io.lmcache.gateway.metrics.Promtool;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A fleet as an operator runs it, every part its own process from its real jar: the discovery jar, three simulated MP
 * nodes ({@code agent simulate --count 3}) heartbeating to it, and a gateway reading it through
 * {@code --node-supplier-url}. Then a fourth node in its own process joins and is stopped with SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupplierFleetIT {
    private static final String VERSION = "0.3.9-supplier-fleet";
    private static final Fleet FLEET = new Fleet();
    private static int discoveryPort;
    private static int gatewayPort;
    /** Simulated node name → port. */
    private static Map<String, Integer> nodes;
    private static JavaProcess discovery;

    @BeforeAll
    static void startFleet() throws Exception {
        discoveryPort = Fleet.freePort();
        gatewayPort = Fleet.freePort();
        discovery = FLEET.discovery("supplier-discovery", discoveryPort);
        JavaProcess sims = FLEET.agent("supplier-simulate", "simulate", "--count", "3",
                "--version-string", VERSION, "--heartbeat-url", heartbeatUrl(), "--heartbeat-interval", "1");
        JavaProcess gateway = FLEET.gateway("supplier-gateway", gatewayPort,
                "--node-supplier-url", "http://127.0.0.1:" + discoveryPort + "/lmcache_infos", "--refresh-interval", "1s");
        FLEET.awaitReady(discovery);
        nodes = Fleet.simulatedNodes(sims, 3);
        FLEET.awaitReady(gateway);
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        FLEET.stopAndCheck();
    }

    private static String heartbeatUrl() {
        return "http://127.0.0.1:" + discoveryPort + "/lmcache_heartbeat";
    }

    /** What reference §1.5 calls an address's proxy: {@code proxy_<host>_<port>}, dots kept. */
    private static String proxyName(int port) {
        return "proxy_127.0.0.1_" + port;
    }

    private static List<String> expectedProxies() {
        return nodes.values().stream().map(SupplierFleetIT::proxyName).collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void the_gateway_lists_one_proxy_per_simulated_node_each_with_its_own_leaf() throws Exception {
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            assertThat(Fleet.registeredAddresses(discoveryPort)).containsExactlyInAnyOrderElementsOf(
                    nodes.values().stream().map(p -> "http://127.0.0.1:" + p).collect(Collectors.toList()));
            assertThat(Fleet.proxies(gatewayPort).keySet()).containsExactlyInAnyOrderElementsOf(expectedProxies());
        });
        Map<String, JsonNode> proxies = Fleet.proxies(gatewayPort);
        for (int port : nodes.values()) {
            JsonNode proxy = proxies.get(proxyName(port));
            assertThat(proxy.get("is_proxy").asBoolean()).isTrue();
            assertThat(proxy.get("port").asInt()).isEqualTo(port);
            JsonNode children = proxy.get("children");
            assertThat(children).as(proxy.toString()).hasSize(1);
            JsonNode leaf = children.get(0);
            // An MP server has no /api/nodes: it is its own single leaf (reference §1.5 step 4).
            assertThat(leaf.get("is_proxy").asBoolean()).isFalse();
            assertThat(leaf.get("host").asText()).isEqualTo("127.0.0.1");
            assertThat(leaf.get("port").asInt()).isEqualTo(port);
            assertThat(leaf.get("name").asText()).isEqualTo(proxyName(port));
            assertThat(leaf.get("state").asText()).isEqualTo("up");
        }
    }

    @Test
    @Order(2)
    void proxy2_reaches_every_leaf_for_status_and_version() throws Exception {
        for (int port : nodes.values()) {
            String leaf = proxyName(port);
            SystemHttp.Response status = SystemHttp.get(gatewayPort, "/proxy2/" + leaf + "/api/status");
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.contentType()).startsWith("application/json");
            JsonNode proxied = status.json();
            JsonNode direct = SystemHttp.json(port, "/api/status");
            // The values move over time; the shape and the static parts are the node's own.
            assertThat(fieldNames(proxied)).isEqualTo(fieldNames(direct));
            assertThat(proxied.get("is_healthy").asBoolean()).isTrue();
            assertThat(proxied.get("engine_type")).isEqualTo(direct.get("engine_type"));

            SystemHttp.Response version = SystemHttp.get(gatewayPort, "/proxy2/" + leaf + "/version");
            assertThat(version.status()).isEqualTo(200);
            assertThat(version.body()).isEqualTo("\"" + VERSION + "\"");
        }
    }

    @Test
    @Order(3)
    void metrics_merges_every_node_with_its_name_and_passes_promtool() throws Exception {
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            String text = metrics();
            for (int port : nodes.values()) {
                assertThat(text).contains("lmcache_gateway_scrape_up{node=\"" + proxyName(port) + "\"} 1\n");
            }
        });
        String text = metrics();
        for (int port : nodes.values()) {
            String node = "node=\"" + proxyName(port) + "\"";
            assertThat(text).contains("lmcache:num_hit_tokens_total{" + node + ",",
                    "lmcache:time_to_retrieve_bucket{" + node + ",", "lmcache_gateway_scrape_samples{" + node + "} ");
        }
        assumeTrue(Promtool.available(), "promtool is not installed (Debian package prometheus)");
        Promtool.Result check = Promtool.check(text);
        assertThat(check.acceptable()).as("promtool exit %s:%n%s", check.exitCode(), check.output()).isTrue();
    }

    @Test
    @Order(4)
    void a_node_stopped_with_sigterm_deregisters_at_once_and_leaves_the_tree_after_the_next_refresh() throws Exception {
        JavaProcess extra = FLEET.agent("supplier-extra-node", "simulate", "--count", "1",
                "--names", "extra", "--version-string", VERSION, "--heartbeat-url", heartbeatUrl(),
                "--heartbeat-interval", "1");
        int port = Fleet.simulatedNodes(extra, 1).get("extra");
        String address = "http://127.0.0.1:" + port;
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsKey(proxyName(port)).hasSize(4));
        assertThat(SystemHttp.get(gatewayPort, "/proxy2/" + proxyName(port) + "/version").body())
                .isEqualTo("\"" + VERSION + "\"");
        assertThat(Fleet.registeredAddresses(discoveryPort)).contains(address);

        assertThat(Fleet.stop(extra)).as("stopped on SIGTERM:%n%s", extra.text()).isTrue();
        assertThat(extra.text()).contains("Deregistered " + address);
        // Deregistered before the process ended, so gone from discovery without waiting for any TTL.
        assertThat(Fleet.registeredAddresses(discoveryPort)).doesNotContain(address)
                .containsExactlyInAnyOrderElementsOf(nodes.values().stream().map(p -> "http://127.0.0.1:" + p)
                        .collect(Collectors.toList()));
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort).keySet()).containsExactlyInAnyOrderElementsOf(expectedProxies()));

        String text = metrics();
        for (int p : nodes.values()) {
            assertThat(text).contains("lmcache_gateway_scrape_up{node=\"" + proxyName(p) + "\"} 1\n");
        }
        // The gateway's own proxied-request counters may keep the gone node's name; its scrape no longer runs.
        assertThat(text).doesNotContain("lmcache_gateway_scrape_up{node=\"" + proxyName(port) + "\"}",
                "lmcache:num_hit_tokens_total{node=\"" + proxyName(port) + "\"");
        Fleet.assertCleanOutput(extra);
    }

    @Test
    @Order(5)
    void while_discovery_is_down_the_last_good_tree_is_served_and_it_recovers_when_discovery_returns() throws Exception {
        assertThat(Fleet.stop(discovery)).as("discovery stopped on SIGTERM").isTrue();
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(SystemHttp.json(gatewayPort, "/api/nodes").get("last_error").isNull()).isFalse());
        // The failure is exposed, and nothing is lost: same nodes, still reachable and scraped.
        assertThat(Fleet.proxies(gatewayPort).keySet()).containsExactlyInAnyOrderElementsOf(expectedProxies());
        for (int port : nodes.values()) {
            assertThat(SystemHttp.get(gatewayPort, "/proxy2/" + proxyName(port) + "/version").body())
                    .isEqualTo("\"" + VERSION + "\"");
        }
        String text = metrics();
        for (int port : nodes.values()) {
            assertThat(text).contains("lmcache_gateway_scrape_up{node=\"" + proxyName(port) + "\"} 1\n");
        }
        assertThat(text).containsPattern("(?m)^lmcache_gateway_node_refresh_failures_total [1-9]");

        // A new discovery on the same port: the simulated nodes' heartbeats find it again by themselves.
        discovery = FLEET.discovery("supplier-discovery-restarted", discoveryPort);
        FLEET.awaitReady(discovery);
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            assertThat(Fleet.registeredAddresses(discoveryPort)).hasSize(nodes.size());
            JsonNode tree = SystemHttp.json(gatewayPort, "/api/nodes");
            assertThat(tree.get("last_error").isNull()).as(tree.toString()).isTrue();
            assertThat(Fleet.proxies(gatewayPort).keySet()).containsExactlyInAnyOrderElementsOf(expectedProxies());
        });
    }

    private static String metrics() throws Exception {
        SystemHttp.Response r = SystemHttp.get(gatewayPort, "/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
        return r.body();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
