package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.testing.RawHttpClient;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real gateway (node directory from --nodes) in front of simulated MP servers, a child gateway, a Unix socket. */
class GatewayProxyIntegrationTest {
    @TempDir
    Path dir;

    private static Gateway gateway(String nodesJson) throws InterruptedException {
        return Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0).nodesJson(nodesJson)
                .ioThreads(2).build());
    }

    private static RawHttpClient.Response get(int port, String path) throws Exception {
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n");
            return c.read();
        }
    }

    @Test
    void a_simulated_node_is_reached_by_name_and_by_registered_address() throws Exception {
        try (SimulatedMpServer sim = SimulatedMpServer.start("127.0.0.1", 0);
             Gateway gw = gateway("[{\"name\":\"mp1\",\"host\":\"127.0.0.1\",\"port\":" + sim.port() + "}]")) {
            RawHttpClient.Response byName = get(gw.port(), "/proxy2/mp1/");
            assertThat(byName.status()).isEqualTo(200);
            assertThat(byName.bodyText()).contains("LMCache HTTP API");
            RawHttpClient.Response byAddress = get(gw.port(), "/proxy/127.0.0.1/" + sim.port() + "/api/kv/retrieve?bytes=300000");
            assertThat(byAddress.body()).hasSize(300_000);
            assertThat(get(gw.port(), "/proxy/127.0.0.1/" + (sim.port() == 65535 ? 1 : sim.port() + 1) + "/").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void a_leaf_behind_a_child_gateway_is_reached_through_it() throws Exception {
        try (SimulatedMpServer sim = SimulatedMpServer.start("127.0.0.1", 0);
             Gateway child = gateway("[{\"name\":\"leaf\",\"host\":\"127.0.0.1\",\"port\":" + sim.port() + "}]")) {
            String address = "http://127.0.0.1:" + child.port();
            byte[] infos = ("{\"processInfos\":{\"" + address + "\":{\"count\":1,\"lmCacheInfoEntities\":[{\"apiAddress\":\""
                    + address + "\",\"version\":\"1\"}]}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Router router = new Router().get("/lmcache_infos",
                    ex -> ex.respond(Responses.bytes(HttpResponseStatus.OK, Responses.JSON, infos)));
            try (HttpServer discovery = HttpServer.startLocal("discovery", "127.0.0.1", 0, Transport.NIO, 1,
                    HttpLimits.DEFAULTS, router);
                 Gateway parent = Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                         .refreshInterval(Duration.ofMillis(300))
                         .nodeSupplierUrl("http://127.0.0.1:" + discovery.port() + "/lmcache_infos").ioThreads(2).build())) {
                // The parent learns the child's leaves in the background; the proxied call passes two gateways.
                await().atMost(Duration.ofSeconds(20)).until(() -> get(parent.port(), "/proxy2/leaf/").status() == 200);
                RawHttpClient.Response r = get(parent.port(), "/proxy2/leaf/api/kv/retrieve?bytes=100000");
                assertThat(r.body()).hasSize(100_000);
            }
        }
    }

    @Test
    void a_node_on_a_registered_unix_socket_is_reached_and_other_sockets_are_refused() throws Exception {
        Path socket = dir.resolve("mp.sock");
        SimulatorOptions options = SimulatorOptions.builder().host("127.0.0.1").port(0).socketPath(socket).build();
        try (SimulatedMpServer sim = SimulatedMpServer.start(options);
             Gateway gw = gateway("[{\"name\":\"sock\",\"host\":\"localhost\",\"port\":\"" + socket + "\"}]")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            RawHttpClient.Response byName = get(gw.port(), "/proxy2/sock/");
            assertThat(byName.status()).isEqualTo(200);
            assertThat(byName.bodyText()).contains("LMCache HTTP API");
            String encoded = socket.toString().replace("/", "%252F");
            assertThat(get(gw.port(), "/proxy/localhost/" + encoded + "/").status()).isEqualTo(200);
            RawHttpClient.Response other = get(gw.port(), "/proxy/localhost/%252Fvar%252Frun%252Fdocker.sock/info");
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.bodyText()).isEqualTo(
                    "{\"detail\":\"Target localhost:/var/run/docker.sock is not a registered node\"}");
        }
    }
}
