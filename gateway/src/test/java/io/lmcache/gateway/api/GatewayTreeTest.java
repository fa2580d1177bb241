package io.lmcache.gateway.api;

import static io.lmcache.gateway.TestHttp.get;
import static io.lmcache.gateway.TestHttp.infos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.TestHttp;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.Route;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A two-level fleet over loopback: a fake discovery lists a child gateway (itself serving {@code --nodes} with two
 * leaves) and a plain MP-like node (404 on /api/nodes); the parent gateway reads the discovery as its supplier.
 */
class GatewayTreeTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicReference<String> discoveryAnswer = new AtomicReference<>();
    private HttpServer discovery;
    private HttpServer mp;
    private Gateway child;
    private Gateway parent;

    @BeforeEach
    void setUp() throws Exception {
        mp = TestHttp.fake(new Router().get("/version", ex -> ex.json(HttpResponseStatus.OK, "1.0")));
        closeables.add(mp);
        child = Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .nodesJson("[{\"name\":\"leaf1\",\"host\":\"127.0.0.1\",\"port\":18001},"
                        + "{\"name\":\"leaf2\",\"host\":\"127.0.0.1\",\"port\":\"18002\"}]").build());
        closeables.add(child);
        discoveryAnswer.set(infos("http://127.0.0.1:" + child.port(), "http://127.0.0.1:" + mp.port()));
        discovery = TestHttp.fake(new Router().get("/lmcache_infos", ex -> ex.respond(
                Responses.bytes(HttpResponseStatus.OK, Responses.JSON, discoveryAnswer.get().getBytes()))));
        closeables.add(discovery);
        parent = Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .refreshInterval(Duration.ofMillis(300)).connectTimeout(Duration.ofSeconds(3))
                .nodeSupplierUrl("http://127.0.0.1:" + discovery.port() + "/lmcache_infos").build());
        closeables.add(parent);
        await().atMost(Duration.ofSeconds(20)).until(() -> parent.services().nodes().tree().proxies().size() == 2);
    }

    @AfterEach
    void tearDown() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // already closed by the test
            }
        }
    }

    private String childProxy() {
        return "proxy_127.0.0.1_" + child.port();
    }

    private String mpProxy() {
        return "proxy_127.0.0.1_" + mp.port();
    }

    @Test
    void api_nodes_has_the_reference_tree_shape_key_by_key() {
        TestHttp.Reply reply = get(parent.port(), "/api/nodes");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(fieldNames(body)).containsExactly("nodes", "source", "loaded_at", "age_seconds", "last_error");
        assertThat(body.get("source").asText()).startsWith("supplier http://127.0.0.1:");
        assertThat(body.get("loaded_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(body.get("age_seconds").isNumber()).isTrue();
        assertThat(body.get("last_error").isNull()).isTrue();

        JsonNode nodes = body.get("nodes");
        assertThat(nodes).hasSize(2);
        JsonNode gw = nodes.get(0);
        assertThat(fieldNames(gw)).containsExactly("id", "name", "host", "port", "is_proxy", "cascade", "children");
        assertThat(gw.get("id").asText()).isEqualTo("proxy_" + childProxy());
        assertThat(gw.get("name").asText()).isEqualTo(childProxy());
        assertThat(gw.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(gw.get("port").asInt()).isEqualTo(child.port());
        assertThat(gw.get("is_proxy").asBoolean()).isTrue();
        assertThat(gw.get("cascade").asBoolean()).isTrue();
        JsonNode leaves = gw.get("children");
        assertThat(leaves).hasSize(2);
        JsonNode leaf1 = leaves.get(0);
        assertThat(fieldNames(leaf1)).containsExactly("id", "name", "host", "port", "is_proxy", "proxy_id");
        assertThat(leaf1.get("id").asText()).isEqualTo("node_leaf1");
        assertThat(leaf1.get("name").asText()).isEqualTo("leaf1");
        assertThat(leaf1.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(leaf1.get("port").asInt()).isEqualTo(18001);
        assertThat(leaf1.get("is_proxy").asBoolean()).isFalse();
        assertThat(leaf1.get("proxy_id").asText()).isEqualTo(childProxy());
        assertThat(leaves.get(1).get("name").asText()).isEqualTo("leaf2");
        assertThat(leaves.get(1).get("port").asInt()).isEqualTo(18002);

        JsonNode plain = nodes.get(1);
        assertThat(plain.get("id").asText()).isEqualTo("proxy_" + mpProxy());
        assertThat(plain.get("cascade").asBoolean()).isFalse();
        assertThat(plain.get("children")).hasSize(1);
        assertThat(plain.get("children").get(0).get("name").asText()).isEqualTo(mpProxy());
        assertThat(plain.get("children").get(0).get("port").asInt()).isEqualTo(mp.port());
    }

    @Test
    void a_leaf_behind_a_child_gateway_is_routed_through_it_and_a_plain_node_directly() {
        NodeDirectory nodes = parent.services().nodes();
        Route leaf = nodes.route("leaf2").orElseThrow();
        assertThat(leaf.target()).isEqualTo(HttpTarget.of("127.0.0.1", child.port()));
        assertThat(leaf.pathPrefix()).isEqualTo("/proxy2/leaf2");
        Route plain = nodes.route(mpProxy()).orElseThrow();
        assertThat(plain.target()).isEqualTo(HttpTarget.of("127.0.0.1", mp.port()));
        assertThat(plain.pathPrefix()).isEmpty();
        assertThat(nodes.route("nope")).isEmpty();
        assertThat(nodes.leafRoutes()).extracting(Route::nodeName).containsExactly("leaf1", "leaf2", mpProxy());
        assertThat(nodes.isRegisteredTarget("127.0.0.1", Integer.toString(child.port()))).isTrue();
        assertThat(nodes.isRegisteredTarget("127.0.0.1", "18001")).isTrue();
        assertThat(nodes.isRegisteredTarget("127.0.0.1", "18003")).isFalse();
    }

    @Test
    void the_child_gateway_lists_its_own_nodes_under_local_proxy() {
        JsonNode nodes = get(child.port(), "/api/nodes").json().get("nodes");
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("name").asText()).isEqualTo("local_proxy");
        assertThat(nodes.get(0).get("port").asInt()).isEqualTo(child.port());
        assertThat(nodes.get(0).get("children")).extracting(n -> n.get("name").asText()).containsExactly("leaf1", "leaf2");
    }

    @Test
    void proxies_and_their_nodes_are_listed_and_an_unknown_proxy_is_404() {
        JsonNode proxies = get(parent.port(), "/api/proxies").json().get("proxies");
        assertThat(proxies).hasSize(2);
        assertThat(fieldNames(proxies.get(0))).containsExactly("name", "host", "port");
        assertThat(proxies.get(0).get("name").asText()).isEqualTo(childProxy());

        TestHttp.Reply nodes = get(parent.port(), "/api/proxies/" + childProxy() + "/nodes");
        assertThat(nodes.status()).isEqualTo(200);
        assertThat(nodes.json().get("nodes")).extracting(n -> n.get("name").asText()).containsExactly("leaf1", "leaf2");
        assertThat(nodes.json().get("nodes").get(0).get("proxy_id").asText()).isEqualTo(childProxy());

        TestHttp.Reply missing = get(parent.port(), "/api/proxies/nope/nodes");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asText()).isEqualTo("Proxy not found");
        assertThat(get(parent.port(), "/api/proxies/nope/refresh").status()).isEqualTo(404);
    }

    @Test
    void refreshing_a_proxy_reprobes_it_and_a_failure_is_502_with_the_children_kept() {
        TestHttp.Reply ok = get(parent.port(), "/api/proxies/" + childProxy() + "/refresh");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("status").asText()).isEqualTo("success");
        assertThat(ok.json().get("nodes")).extracting(n -> n.get("name").asText()).containsExactly("leaf1", "leaf2");

        TestHttp.Reply plain = get(parent.port(), "/api/proxies/" + mpProxy() + "/refresh");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.json().get("nodes")).extracting(n -> n.get("name").asText()).containsExactly(mpProxy());

        child.close();
        TestHttp.Reply failed = get(parent.port(), "/api/proxies/" + childProxy() + "/refresh");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().get("detail").asText()).contains("children are kept");
        assertThat(get(parent.port(), "/api/proxies/" + childProxy() + "/nodes").json().get("nodes")).hasSize(2);
    }

    @Test
    void when_discovery_dies_the_tree_stays_and_the_error_is_shown() {
        discovery.close();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !get(parent.port(), "/api/nodes").json().get("last_error").isNull());
        JsonNode body = get(parent.port(), "/api/nodes").json();
        assertThat(body.get("nodes")).hasSize(2);
        assertThat(body.get("nodes").get(0).get("children")).hasSize(2);
    }

    @Test
    void health_answers_as_the_reference() {
        TestHttp.Reply health = get(parent.port(), "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"lmcache-monitor\"}");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
