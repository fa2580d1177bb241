package io.lmcache.gateway.system;

import static io.lmcache.gateway.system.Fleet.GENEROUS;
import static io.lmcache.gateway.system.Fleet.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.testing.JavaProcess;
import io.lmcache.common.testing.RawHttp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway jar on its own (no node source: it serves discovery itself) with a simulated MP node and, beside it, the
 * agent jar as the node's heartbeat sidecar, as an operator runs an MP server without the plugin. Then bad input of
 * every kind against the running gateway, after which everything must still be up and listed; last, the sidecar's
 * SIGTERM takes the node out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedFleetIT {
    private static final String VERSION = "0.3.9-embedded";
    private static final Fleet FLEET = new Fleet();
    private static int gatewayPort;
    private static int nodePort;
    private static JavaProcess sidecar;

    @BeforeAll
    static void startFleet() throws Exception {
        gatewayPort = Fleet.freePort();
        JavaProcess gateway = FLEET.gateway("embedded-gateway", gatewayPort, "--refresh-interval", "1s",
                "--response-timeout", "2s", "--metrics-timeout", "2s");
        JavaProcess sim = FLEET.agent("embedded-simulate", "simulate", "--count", "1", "--names", "emb",
                "--version-string", VERSION);
        nodePort = Fleet.simulatedNodes(sim, 1).get("emb");
        sidecar = FLEET.agent("embedded-sidecar",
                "--heartbeat-url", "http://127.0.0.1:" + gatewayPort + "/lmcache_heartbeat",
                "--port", Integer.toString(nodePort), "--report-host", "127.0.0.1", "--heartbeat-interval", "1",
                "--nodes", "[{\"name\":\"emb\",\"host\":\"127.0.0.1\",\"port\":" + nodePort + "}]");
        FLEET.awaitReady(gateway);
        FLEET.awaitReady(FLEET.readyWhen(sidecar, "Heartbeat sent to .* as " + address(nodePort)));
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        FLEET.stopAndCheck();
    }

    private static String address(int port) {
        return "http://127.0.0.1:" + port;
    }

    private static String leaf() {
        return "proxy_127.0.0.1_" + nodePort;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void the_sidecars_node_appears_in_the_tree_as_up_with_the_version_it_read_from_the_node() throws Exception {
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf()));
        JsonNode child = Fleet.proxies(gatewayPort).get(leaf()).get("children").get(0);
        assertThat(child.get("name").asText()).isEqualTo(leaf());
        assertThat(child.get("port").asInt()).isEqualTo(nodePort);
        assertThat(child.get("state").asText()).isEqualTo("up");
        JsonNode entity = SystemHttp.json(gatewayPort, "/lmcache_infos").get("processInfos").get(address(nodePort))
                .get("lmCacheInfoEntities").get(0);
        assertThat(entity.get("version").asText()).isEqualTo(VERSION);
        assertThat(entity.get("otherInfo").asText()).contains("\"nodes_count\": 1");
    }

    @Test
    @Order(2)
    void proxy2_and_proxy_by_address_reach_the_node() throws Exception {
        SystemHttp.Response version = SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/version");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body()).isEqualTo("\"" + VERSION + "\"");
        SystemHttp.Response status = SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("is_healthy").asBoolean()).isTrue();
        SystemHttp.Response byAddress = SystemHttp.get(gatewayPort, "/proxy/127.0.0.1/" + nodePort + "/version");
        assertThat(byAddress.status()).as(byAddress.body()).isEqualTo(200);
        assertThat(byAddress.body()).isEqualTo("\"" + VERSION + "\"");
    }

    @Test
    @Order(3)
    void a_malformed_node_name_is_a_json_error() throws Exception {
        // No client library sends "%zz" (java.net.URI refuses it), so it goes out as raw bytes.
        RawHttp.Reply r = RawHttp.send(gatewayPort,
                "GET /proxy2/%zz/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).as(r.text()).isIn(400, 404);
        assertThat(detail(r.body())).contains("%zz");
    }

    @Test
    @Order(4)
    void an_unknown_node_is_404_with_the_references_message() throws Exception {
        SystemHttp.Response r = SystemHttp.get(gatewayPort, "/proxy2/x/status");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText()).isEqualTo("Node with name 'x' not found");
    }

    @Test
    @Order(5)
    void proxy_to_an_unregistered_target_is_403_and_never_connects() throws Exception {
        SystemHttp.Response evil = SystemHttp.get(gatewayPort, "/proxy/evil.example.invalid/9999/metrics");
        assertThat(evil.status()).as(evil.body()).isEqualTo(403);
        assertThat(evil.json().get("detail").asText()).isNotBlank();
        // A listening loopback port that is not a node: the guard must refuse before any connection is made.
        try (ServerSocket bait = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (String target : List.of("127.0.0.1/" + bait.getLocalPort(), "localhost/" + bait.getLocalPort())) {
                SystemHttp.Response r = SystemHttp.get(gatewayPort, "/proxy/" + target + "/metrics");
                assertThat(r.status()).as("%s: %s", target, r.body()).isEqualTo(403);
            }
            // The gateway itself is never a target either (no loop through local addresses).
            assertThat(SystemHttp.get(gatewayPort, "/proxy/127.0.0.1/" + gatewayPort + "/health").status())
                    .isEqualTo(403);
            bait.setSoTimeout(1_000);
            assertThatThrownBy(bait::accept).as("the gateway connected to an unregistered target")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    @Order(6)
    void an_oversized_header_is_431_and_closes() throws Exception {
        RawHttp.Reply r = RawHttp.send(gatewayPort, "GET /proxy2/" + leaf() + "/version HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nX-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n");
        assertThat(r.status()).as(r.text()).isEqualTo(431);
        assertThat(detail(r.body())).isNotBlank();
        assertThat(r.closed()).isTrue();
    }

    @Test
    @Order(7)
    void a_20_kb_uri_is_414() throws Exception {
        SystemHttp.Response r = SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/version?q=" + "a".repeat(20 * 1024));
        assertThat(r.status()).as(r.body()).isEqualTo(414);
        assertThat(r.json().get("detail").asText()).isNotBlank();
    }

    @Test
    @Order(8)
    void transfer_encoding_with_content_length_is_400_and_closes() throws Exception {
        RawHttp.Reply r = RawHttp.send(gatewayPort, "POST /proxy2/" + leaf() + "/api/status HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(detail(r.body())).isNotBlank();
        assertThat(r.closed()).isTrue();
    }

    @Test
    @Order(9)
    void bytes_that_are_not_http_are_400() throws Exception {
        RawHttp.Reply r = RawHttp.send(gatewayPort, "\u0016\u0003\u0001\u0000garbage\r\n\r\n");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.closed()).isTrue();
    }

    @Test
    @Order(10)
    void heartbeats_with_a_bad_api_address_are_400() throws Exception {
        for (String query : List.of("pid=1", "api_address=&pid=1", "api_address=" + enc("ftp://127.0.0.1:21"),
                "api_address=not-a-url", "api_address=" + enc("http://"), "api_address=" + enc("http://:8000"))) {
            SystemHttp.Response r = SystemHttp.get(gatewayPort, "/lmcache_heartbeat?" + query);
            assertThat(r.status()).as("%s -> %s", query, r.body()).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).as(query).isNotBlank();
        }
    }

    @Test
    @Order(11)
    void a_heartbeat_announcing_the_gateway_itself_does_not_make_it_its_own_node() throws Exception {
        for (String self : List.of(address(gatewayPort), "http://localhost:" + gatewayPort)) {
            assertThat(SystemHttp.get(gatewayPort, "/lmcache_heartbeat?pid=1&api_address=" + enc(self)).status())
                    .isEqualTo(200);
        }
        // Two refreshes later the tree still holds only the real node, and nothing loops.
        Thread.sleep(2_500);
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf()));
        for (String self : List.of(address(gatewayPort), "http://localhost:" + gatewayPort)) {
            assertThat(SystemHttp.get(gatewayPort, "/lmcache_deregister?api_address=" + enc(self)).status())
                    .isEqualTo(200);
        }
    }

    @Test
    @Order(12)
    void a_registered_node_that_is_down_costs_its_own_scrape_only() throws Exception {
        int deadPort = Fleet.freePort();
        String dead = "proxy_127.0.0.1_" + deadPort;
        assertThat(SystemHttp.get(gatewayPort, "/lmcache_heartbeat?pid=1&api_address=" + enc(address(deadPort)))
                .status()).isEqualTo(200);
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf(), dead));
        SystemHttp.Response metrics = SystemHttp.get(gatewayPort, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("lmcache_gateway_scrape_up{node=\"" + dead + "\"} 0\n",
                "lmcache_gateway_scrape_up{node=\"" + leaf() + "\"} 1\n");
        SystemHttp.Response proxied = SystemHttp.get(gatewayPort, "/proxy2/" + dead + "/version");
        assertThat(proxied.status()).isEqualTo(502);
        assertThat(proxied.json().get("detail").asText()).isEqualTo("Failed to connect to target service 127.0.0.1:"
                + deadPort);
        assertThat(SystemHttp.get(gatewayPort, "/lmcache_deregister?api_address=" + enc(address(deadPort))).status())
                .isEqualTo(200);
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf()));
    }

    @Test
    @Order(13)
    void a_node_that_stalls_gets_504_and_a_failed_scrape_while_the_other_node_is_unaffected() throws Exception {
        // Answers after 3 s, past the gateway's 2 s response and metrics timeouts (the version probe of its own
        // heartbeat waits for it, so it registers a little late).
        JavaProcess slow = FLEET.agent("embedded-slow-node", "simulate", "--count", "1", "--names", "slow",
                "--latency", "3s", "--heartbeat-url", "http://127.0.0.1:" + gatewayPort + "/lmcache_heartbeat",
                "--heartbeat-interval", "1");
        int slowPort = Fleet.simulatedNodes(slow, 1).get("slow");
        String slowLeaf = "proxy_127.0.0.1_" + slowPort;
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf(), slowLeaf));
        SystemHttp.Response stalled = SystemHttp.get(gatewayPort, "/proxy2/" + slowLeaf + "/version");
        assertThat(stalled.status()).as(stalled.body()).isEqualTo(504);
        assertThat(stalled.json().get("detail").asText())
                .isEqualTo("Connection to target service 127.0.0.1:" + slowPort + " timed out");
        SystemHttp.Response metrics = SystemHttp.get(gatewayPort, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("lmcache_gateway_scrape_up{node=\"" + slowLeaf + "\"} 0\n",
                "lmcache_gateway_scrape_up{node=\"" + leaf() + "\"} 1\n",
                "lmcache:num_hit_tokens_total{node=\"" + leaf() + "\",");
        assertThat(SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/version").body()).isEqualTo("\"" + VERSION + "\"");
        assertThat(Fleet.stop(slow)).as("stopped on SIGTERM:%n%s", slow.text()).isTrue();
        Fleet.assertCleanOutput(slow);
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf()));
    }

    @Test
    @Order(14)
    void after_all_bad_input_the_gateway_is_healthy_and_still_lists_and_reaches_the_node() throws Exception {
        SystemHttp.Response health = SystemHttp.get(gatewayPort, "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"lmcache-monitor\"}");
        assertThat(Fleet.proxies(gatewayPort)).containsOnlyKeys(leaf());
        assertThat(SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/version").body()).isEqualTo("\"" + VERSION + "\"");
        assertThat(SystemHttp.get(gatewayPort, "/metrics").status()).isEqualTo(200);
    }

    @Test
    @Order(15)
    void sigterm_on_the_sidecar_takes_the_node_out() throws Exception {
        assertThat(Fleet.stop(sidecar)).as("stopped on SIGTERM:%n%s", sidecar.text()).isTrue();
        Fleet.assertCleanOutput(sidecar);
        // The sidecar deregistered before it exited: the embedded discovery forgot the node at once.
        assertThat(SystemHttp.json(gatewayPort, "/lmcache_infos").get("processInfos").has(address(nodePort))).isFalse();
        await().atMost(GENEROUS).pollInterval(POLL).ignoreExceptions().untilAsserted(() ->
                assertThat(Fleet.proxies(gatewayPort)).isEmpty());
        assertThat(SystemHttp.get(gatewayPort, "/proxy2/" + leaf() + "/version").status()).isEqualTo(404);
        // The node itself is still running: only its announcement ended.
        assertThat(SystemHttp.get(nodePort, "/version").status()).isEqualTo(200);
    }

    private static String detail(String jsonBody) throws Exception {
        return io.lmcache.common.http.Json.MAPPER.readTree(jsonBody).get("detail").asText();
    }
}
