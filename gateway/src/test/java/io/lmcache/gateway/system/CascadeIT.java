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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cascading gateways, each a real jar: a child gateway serves two simulated nodes ({@code --nodes}) and registers
 * itself with the discovery jar ({@code --heartbeat-url}); a parent gateway reads that discovery
 * ({@code --node-supplier-url}), finds that the address is a gateway, and lists and reaches the child's leaves through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CascadeIT {
    private static final String VERSION = "0.3.9-cascade";
    private static final List<String> LEAVES = List.of("leaf-a", "leaf-b");
    private static final Fleet FLEET = new Fleet();
    private static int discoveryPort;
    private static int childPort;
    private static int parentPort;

    @BeforeAll
    static void startFleet() throws Exception {
        discoveryPort = Fleet.freePort();
        childPort = Fleet.freePort();
        parentPort = Fleet.freePort();
        JavaProcess discovery = FLEET.discovery("cascade-discovery", discoveryPort);
        JavaProcess sims = FLEET.agent("cascade-simulate", "simulate", "--count", "2",
                "--names", String.join(",", LEAVES), "--version-string", VERSION);
        JavaProcess parent = FLEET.gateway("cascade-parent", parentPort,
                "--node-supplier-url", "http://127.0.0.1:" + discoveryPort + "/lmcache_infos", "--refresh-interval", "1s");
        Map<String, Integer> leaves = Fleet.simulatedNodes(sims, 2);
        // One port as a number and one as a string: --nodes accepts both.
        String nodesJson = "[{\"name\":\"leaf-a\",\"host\":\"127.0.0.1\",\"port\":" + leaves.get("leaf-a") + "},"
                + "{\"name\":\"leaf-b\",\"host\":\"127.0.0.1\",\"port\":\"" + leaves.get("leaf-b") + "\"}]";
        JavaProcess child = FLEET.gateway("cascade-child", childPort, "--nodes", nodesJson,
                "--heartbeat-url", "http://127.0.0.1:" + discoveryPort + "/lmcache_heartbeat",
                "--heartbeat-interval", "1", "--report-host", "127.0.0.1");
        FLEET.awaitReady(discovery);
        FLEET.awaitReady(parent);
        FLEET.awaitReady(child);
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        FLEET.stopAndCheck();
    }

    private static String childProxy() {
        return "proxy_127.0.0.1_" + childPort;
    }

    @Test
    @Order(1)
    void the_parent_lists_the_child_gateway_as_a_proxy_with_the_two_leaves_as_its_children() throws Exception {
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(parentPort)).containsOnlyKeys(childProxy())
                        .hasEntrySatisfying(childProxy(), p -> assertThat(p.get("children")).hasSize(2)));
        assertThat(Fleet.registeredAddresses(discoveryPort)).containsExactly("http://127.0.0.1:" + childPort);
        JsonNode proxy = Fleet.proxies(parentPort).get(childProxy());
        assertThat(proxy.get("is_proxy").asBoolean()).isTrue();
        assertThat(proxy.get("port").asInt()).isEqualTo(childPort);
        List<String> names = new ArrayList<>();
        for (JsonNode leaf : proxy.get("children")) {
            names.add(leaf.get("name").asText());
            assertThat(leaf.get("is_proxy").asBoolean()).isFalse();
            assertThat(leaf.get("proxy_id").asText()).as(leaf.toString()).isEqualTo(childProxy());
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(LEAVES);
    }

    @Test
    @Order(2)
    void proxy2_through_the_parent_reaches_each_leaf_through_the_child() throws Exception {
        for (String leaf : LEAVES) {
            double before = childProxiedOk(leaf);
            SystemHttp.Response status = SystemHttp.get(parentPort, "/proxy2/" + leaf + "/status");
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().get("is_healthy").asBoolean()).isTrue();
            SystemHttp.Response version = SystemHttp.get(parentPort, "/proxy2/" + leaf + "/version");
            assertThat(version.body()).isEqualTo("\"" + VERSION + "\"");
            // The child counted both requests as its own proxied ones: the parent went through it, not around it.
            assertThat(childProxiedOk(leaf)).isGreaterThanOrEqualTo(before + 2);
        }
    }

    @Test
    @Order(3)
    void the_parents_metrics_include_both_leaves_samples() throws Exception {
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
            String text = metrics(parentPort);
            for (String leaf : LEAVES) {
                assertThat(text).contains("lmcache_gateway_scrape_up{node=\"" + leaf + "\"} 1\n");
            }
        });
        String text = metrics(parentPort);
        for (String leaf : LEAVES) {
            assertThat(text).contains("lmcache:num_hit_tokens_total{node=\"" + leaf + "\",",
                    "lmcache:time_to_retrieve_bucket{node=\"" + leaf + "\",");
        }
        assertThat(text).doesNotContain("exported_node");
        assumeTrue(Promtool.available(), "promtool is not installed (Debian package prometheus)");
        Promtool.Result check = Promtool.check(text);
        assertThat(check.acceptable()).as("promtool exit %s:%n%s", check.exitCode(), check.output()).isTrue();
    }

    private static String metrics(int port) throws Exception {
        SystemHttp.Response r = SystemHttp.get(port, "/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
        return r.body();
    }

    /** The child gateway's own count of 2xx answers it proxied to {@code leaf}; 0 before the first. */
    private static double childProxiedOk(String leaf) throws Exception {
        Matcher m = Pattern.compile("^lmcache_gateway_proxied_requests_total\\{node=\"" + Pattern.quote(leaf)
                + "\",status_class=\"2xx\"} (\\S+)$", Pattern.MULTILINE).matcher(metrics(childPort));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
