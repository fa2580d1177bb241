package io.lmcache.gateway.system;

import static io.lmcache.gateway.system.Fleet.GENEROUS;
import static io.lmcache.gateway.system.Fleet.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.testing.JavaProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Two gateway replicas that both read and register with one discovery ({@code --node-supplier-url D --heartbeat-url D},
 * e.g. two instances behind a load balancer), beside one simulated node. Each finds the other in discovery and takes
 * it for a cascading child gateway, so the two gateways form a loop; the fleet must still be listed once, reached, and
 * scraped without the gateways feeding requests to each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayPeersIT {
    private static final Pattern SCRAPE_UP = Pattern.compile("^lmcache_gateway_scrape_up\\{node=\"([^\"]+)\"} (\\S+)$",
            Pattern.MULTILINE);
    private static final Fleet FLEET = new Fleet();
    private static int discoveryPort;
    private static int nodePort;
    private static final List<Integer> GATEWAYS = new ArrayList<>();

    @BeforeAll
    static void startFleet() throws Exception {
        discoveryPort = Fleet.freePort();
        String discovery = "http://127.0.0.1:" + discoveryPort;
        JavaProcess d = FLEET.discovery("peers-discovery", discoveryPort);
        JavaProcess sim = FLEET.agent("peers-simulate", "simulate", "--count", "1", "--names", "peer-node",
                "--heartbeat-url", discovery + "/lmcache_heartbeat", "--heartbeat-interval", "1");
        List<JavaProcess> gateways = new ArrayList<>();
        for (String label : List.of("peers-gateway-a", "peers-gateway-b")) {
            int port = Fleet.freePort();
            GATEWAYS.add(port);
            gateways.add(FLEET.gateway(label, port, "--node-supplier-url", discovery + "/lmcache_infos",
                    "--refresh-interval", "1s", "--heartbeat-url", discovery + "/lmcache_heartbeat",
                    "--heartbeat-interval", "1", "--report-host", "127.0.0.1",
                    // Bounds what a scrape that goes round the loop costs this test.
                    "--metrics-timeout", "1s"));
        }
        FLEET.awaitReady(d);
        nodePort = Fleet.simulatedNodes(sim, 1).get("peer-node");
        gateways.forEach(FLEET::awaitReady);
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        FLEET.stopAndCheck();
    }

    private static String nodeLeaf() {
        return "proxy_127.0.0.1_" + nodePort;
    }

    @Test
    @Order(1)
    void both_gateways_list_and_reach_the_node_and_stay_healthy() throws Exception {
        for (int gateway : GATEWAYS) {
            await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() -> {
                assertThat(leafPorts(gateway)).contains(nodePort);
                // The peer is in discovery, and this gateway is never its own proxy.
                assertThat(Fleet.proxies(gateway)).doesNotContainKey("proxy_127.0.0.1_" + gateway).hasSize(2);
            });
            SystemHttp.Response version = SystemHttp.get(gateway, "/proxy2/" + nodeLeaf() + "/version");
            assertThat(version.status()).as(version.body()).isEqualTo(200);
            SystemHttp.Response metrics = SystemHttp.get(gateway, "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("lmcache_gateway_scrape_up{node=\"" + nodeLeaf() + "\"} 1\n");
            assertThat(SystemHttp.get(gateway, "/health").body())
                    .isEqualTo("{\"status\":\"healthy\",\"service\":\"lmcache-monitor\"}");
        }
    }

    @Test
    @Order(2)
    void no_gateway_is_listed_as_a_leaf_of_either_gateway() throws Exception {
        for (int gateway : GATEWAYS) {
            await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                    assertThat(leafPorts(gateway)).contains(nodePort));
            // A few refreshes, so that what the peers learn from each other has gone round the loop.
            Thread.sleep(3_000);
            assertThat(leafPorts(gateway)).as("leaves of the gateway on port %d", gateway)
                    .doesNotContainAnyElementsOf(GATEWAYS);
        }
    }

    @Test
    @Order(3)
    void metrics_scrape_only_the_real_node_not_the_peer_gateway() throws Exception {
        for (int gateway : GATEWAYS) {
            await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                    assertThat(leafPorts(gateway)).contains(nodePort));
            Thread.sleep(3_000);
            Map<String, String> up = new LinkedHashMap<>();
            Matcher m = SCRAPE_UP.matcher(SystemHttp.get(gateway, "/metrics").body());
            while (m.find()) {
                up.put(m.group(1), m.group(2));
            }
            assertThat(up).as("scrape_up of the gateway on port %d", gateway).containsExactly(Map.entry(nodeLeaf(), "1"));
        }
    }

    private static List<Integer> leafPorts(int gateway) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode proxy : Fleet.proxies(gateway).values()) {
            for (JsonNode leaf : proxy.get("children")) {
                ports.add(leaf.get("port").asInt());
            }
        }
        return ports;
    }
}
