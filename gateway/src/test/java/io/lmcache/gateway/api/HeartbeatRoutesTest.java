package io.lmcache.gateway.api;

import static io.lmcache.gateway.TestHttp.get;
import static io.lmcache.gateway.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Router;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.TestHttp;
import io.lmcache.gateway.config.GatewayConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's own heartbeat against a fake discovery that records every beat and deregistration. */
class HeartbeatRoutesTest {
    private final List<Map<String, String>> beats = new CopyOnWriteArrayList<>();
    private final List<String> deregistered = new CopyOnWriteArrayList<>();
    private HttpServer discovery;
    private SimulatedMpServer mp1;
    private SimulatedMpServer mp2;
    private Gateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        discovery = TestHttp.fake(new Router()
                .get("/lmcache_heartbeat", ex -> {
                    beats.add(Map.of("api_address", ex.queryParam("api_address"),
                            "version", String.valueOf(ex.queryParam("version")),
                            "other_info", String.valueOf(ex.queryParam("other_info"))));
                    ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
                })
                .get("/lmcache_deregister", ex -> {
                    deregistered.add(ex.queryParam("api_address"));
                    ex.json(HttpResponseStatus.OK, Map.of("status", "success"));
                }));
        mp1 = SimulatedMpServer.start("127.0.0.1", 0);
        mp2 = SimulatedMpServer.start("127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        mp1.close();
        mp2.close();
        discovery.close();
    }

    private GatewayConfig.Builder config() {
        return GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0).reportHost("127.0.0.1")
                .nodesJson("[{\"name\":\"mp1\",\"host\":\"127.0.0.1\",\"port\":" + mp1.port() + "},"
                        + "{\"name\":\"mp2\",\"host\":\"127.0.0.1\",\"port\":\"" + mp2.port() + "\"}]");
    }

    private String heartbeatUrl() {
        return "http://127.0.0.1:" + discovery.port() + "/lmcache_heartbeat";
    }

    @Test
    void start_status_and_stop_are_truthful_and_beats_carry_the_gateways_address_and_leaves() throws Exception {
        gateway = Gateway.start(config().build());
        JsonNode before = get(gateway.port(), "/api/heartbeat/status").json();
        assertThat(before.get("running").isNull()).isTrue();
        assertThat(before.has("local_ip")).isTrue();
        assertThat(before.has("startup_time")).isTrue();
        assertThat(before.has("current_time")).isTrue();

        TestHttp.Reply started = post(gateway.port(), "/api/heartbeat/start",
                Json.string(Map.of("heartbeat_url", heartbeatUrl(), "interval", 30)));
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().get("message").asText()).isEqualTo("Heartbeat service started");
        await().atMost(Duration.ofSeconds(20)).until(() -> !beats.isEmpty());
        Map<String, String> beat = beats.get(0);
        assertThat(beat.get("api_address")).isEqualTo("http://127.0.0.1:" + gateway.port());
        assertThat(Json.MAPPER.readTree(beat.get("other_info")).get("nodes_count").asInt()).isEqualTo(2);
        assertThat(get(gateway.port(), "/api/heartbeat/status").json().get("running").asBoolean()).isTrue();

        TestHttp.Reply again = post(gateway.port(), "/api/heartbeat/start",
                Json.string(Map.of("heartbeat_url", heartbeatUrl())));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("message").asText()).contains("already running");

        TestHttp.Reply stopped = post(gateway.port(), "/api/heartbeat/stop", "");
        assertThat(stopped.json().get("message").asText()).isEqualTo("Heartbeat service stopped");
        await().atMost(Duration.ofSeconds(10)).until(() -> !deregistered.isEmpty());
        assertThat(deregistered.get(0)).isEqualTo("http://127.0.0.1:" + gateway.port());
        assertThat(get(gateway.port(), "/api/heartbeat/status").json().get("running").asBoolean()).isFalse();
        assertThat(post(gateway.port(), "/api/heartbeat/stop", "").json().get("message").asText())
                .isEqualTo("Heartbeat service was not running");
    }

    @Test
    void bad_start_requests_are_400_with_a_detail() throws Exception {
        gateway = Gateway.start(config().build());
        TestHttp.Reply notJson = post(gateway.port(), "/api/heartbeat/start", "heartbeat_url=x");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("detail").asText()).startsWith("Body is not valid JSON");
        TestHttp.Reply missing = post(gateway.port(), "/api/heartbeat/start", "{\"interval\":5}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asText()).isEqualTo("heartbeat_url is required");
        assertThat(post(gateway.port(), "/api/heartbeat/start", "{\"heartbeat_url\":\"\"}").status()).isEqualTo(400);
        assertThat(post(gateway.port(), "/api/heartbeat/start", "[1]").status()).isEqualTo(400);
        assertThat(post(gateway.port(), "/api/heartbeat/start", "{\"heartbeat_url\":\"ftp://x/y\"}").status())
                .isEqualTo(400);
        assertThat(post(gateway.port(), "/api/heartbeat/start",
                "{\"heartbeat_url\":\"" + heartbeatUrl() + "\",\"interval\":-3}").status()).isEqualTo(400);
        assertThat(get(gateway.port(), "/api/heartbeat/start").status()).isEqualTo(405);
        assertThat(beats).isEmpty();
    }

    @Test
    void a_boot_time_heartbeat_url_registers_the_gateway_and_closing_deregisters_it() throws Exception {
        gateway = Gateway.start(config().heartbeatUrl(heartbeatUrl()).build());
        int port = gateway.port();
        await().atMost(Duration.ofSeconds(20)).until(() -> !beats.isEmpty());
        assertThat(beats.get(0).get("api_address")).isEqualTo("http://127.0.0.1:" + port);
        gateway.close();
        gateway = null;
        assertThat(deregistered).containsExactly("http://127.0.0.1:" + port);
    }
}
