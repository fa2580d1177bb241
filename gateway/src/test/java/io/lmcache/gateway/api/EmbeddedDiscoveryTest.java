package io.lmcache.gateway.api;

import static io.lmcache.gateway.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.config.GatewayConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No node source: the gateway serves discovery itself and lists the nodes that send it heartbeats. */
class EmbeddedDiscoveryTest {
    @Test
    void a_heartbeat_to_the_gateways_own_discovery_makes_the_node_appear_in_api_nodes() throws Exception {
        try (SimulatedMpServer mp = SimulatedMpServer.start("127.0.0.1", 0);
             Gateway gateway = Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                     .refreshInterval(Duration.ofMillis(200)).build())) {
            JsonNode empty = get(gateway.port(), "/api/nodes").json();
            assertThat(empty.get("nodes")).isEmpty();
            assertThat(empty.get("source").asText()).isEqualTo("embedded discovery");

            String api = "http://127.0.0.1:" + mp.port();
            assertThat(get(gateway.port(), "/lmcache_heartbeat?api_address="
                    + URLEncoder.encode(api, StandardCharsets.UTF_8) + "&pid=42&version=1.2.3").status()).isEqualTo(200);

            String name = "proxy_127.0.0.1_" + mp.port();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(gateway.port(), "/api/nodes").json().get("nodes").size() == 1);
            JsonNode proxy = get(gateway.port(), "/api/nodes").json().get("nodes").get(0);
            assertThat(proxy.get("name").asText()).isEqualTo(name);
            assertThat(proxy.get("cascade").asBoolean()).isFalse();
            JsonNode leaf = proxy.get("children").get(0);
            assertThat(leaf.get("name").asText()).isEqualTo(name);
            assertThat(leaf.get("port").asInt()).isEqualTo(mp.port());
            assertThat(leaf.get("state").asText()).isEqualTo("up");
            assertThat(gateway.services().nodes().route(name)).isPresent();

            assertThat(get(gateway.port(), "/lmcache_deregister?api_address="
                    + URLEncoder.encode(api, StandardCharsets.UTF_8)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(gateway.port(), "/api/nodes").json().get("nodes").isEmpty());
        }
    }
}
