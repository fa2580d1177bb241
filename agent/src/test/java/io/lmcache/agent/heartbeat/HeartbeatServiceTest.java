package io.lmcache.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.agent.testing.FakeDiscovery;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeartbeatServiceTest {
    private static final String PINNED_IP = "10.0.0.42";

    private HttpFetcher fetcher;
    private FakeDiscovery discovery;
    private final AtomicInteger detections = new AtomicInteger();
    private final Supplier<String> detector = () -> {
        detections.incrementAndGet();
        return PINNED_IP;
    };

    @BeforeEach
    void setUp() throws Exception {
        fetcher = new HttpFetcher(Transport.NIO);
        discovery = FakeDiscovery.start(0);
    }

    @AfterEach
    void tearDown() {
        discovery.close();
        fetcher.close();
    }

    private HeartbeatService service(String reportHost, List<HttpTarget> nodes) {
        return new HeartbeatService(fetcher, 8085, reportHost, () -> nodes, 4242, detector, 1_000);
    }

    private static Map<String, List<String>> query(String rawUri) {
        return new QueryStringDecoder(rawUri).parameters();
    }

    /** A node whose /version answers {@code status} with {@code body}. */
    private static HttpServer versionNode(int status, String body) throws InterruptedException {
        Router r = new Router().get("/version", ex -> ex.respond(
                Responses.text(HttpResponseStatus.valueOf(status), body)));
        return HttpServer.startLocal("version-node", "127.0.0.1", 0, Transport.NIO, 1, HttpLimits.DEFAULTS, r);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void a_heartbeat_carries_the_references_parameters_encoded_as_python_does() throws Exception {
        try (SimulatedMpServer node = SimulatedMpServer.start(SimulatorOptions.builder().version("0.3.9-abc123").build())) {
            HttpTarget a = HttpTarget.of("127.0.0.1", node.port());
            HeartbeatService hb = service(null, List.of(a, HttpTarget.of("127.0.0.1", closedPort())));
            assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();

            String raw = discovery.rawHeartbeats.get(0);
            String startup = hb.startupTime();
            assertThat(startup).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
            assertThat(raw).isEqualTo("/lmcache_heartbeat?api_address=http%3A%2F%2F10.0.0.42%3A8085&pid=4242"
                    + "&version=0.3.9-abc123&other_info=%7B%22startup_time%22%3A+%22"
                    + startup.replace(":", "%3A") + "%22%2C+%22nodes_count%22%3A+2%7D");
            Map<String, List<String>> q = query(raw);
            JsonNode info = Json.MAPPER.readTree(q.get("other_info").get(0));
            assertThat(info.get("nodes_count").asInt()).isEqualTo(2);
            assertThat(info.get("startup_time").asText()).isEqualTo(startup);
            assertThat(q.get("pid")).containsExactly("4242");
        }
    }

    @Test
    void a_quoted_version_loses_its_quotes() throws Exception {
        try (HttpServer n1 = versionNode(200, "  '2.0.1'\n")) {
            HeartbeatService hb = service("h", List.of(HttpTarget.of("127.0.0.1", n1.port())));
            assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(query(discovery.rawHeartbeats.get(0)).get("version")).containsExactly("2.0.1");
        }
    }

    @Test
    void an_empty_or_failing_version_falls_through_to_the_next_node_then_to_the_default() throws Exception {
        try (HttpServer empty = versionNode(200, "  ");
             HttpServer broken = versionNode(500, "\"9.9.9\"");
             HttpServer good = versionNode(200, "\"1.2.3\"")) {
            int dead = closedPort();
            HeartbeatService hb = service("h", List.of(HttpTarget.of("127.0.0.1", dead),
                    HttpTarget.of("127.0.0.1", empty.port()), HttpTarget.of("127.0.0.1", broken.port()),
                    HttpTarget.of("127.0.0.1", good.port())));
            assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(query(discovery.rawHeartbeats.get(0)).get("version")).containsExactly("1.2.3");

            HeartbeatService none = service("h", List.of(HttpTarget.of("127.0.0.1", dead),
                    HttpTarget.of("127.0.0.1", empty.port())));
            assertThat(none.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(query(discovery.rawHeartbeats.get(1)).get("version")).containsExactly("1.0.0");

            HeartbeatService noNodes = service("h", List.of());
            assertThat(noNodes.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
            Map<String, List<String>> q = query(discovery.rawHeartbeats.get(2));
            assertThat(q.get("version")).containsExactly("1.0.0");
            assertThat(Json.MAPPER.readTree(q.get("other_info").get(0)).get("nodes_count").asInt()).isZero();
        }
    }

    @Test
    void a_unix_socket_node_is_probed_for_its_version(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path socket = dir.resolve("mp.sock");
        try (SimulatedMpServer node = SimulatedMpServer.start(SimulatorOptions.builder().version("0.4.0-uds")
                .socketPath(socket).build())) {
            HeartbeatService hb = service("h", List.of(new HttpTarget("localhost", socket.toString())));
            assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(query(discovery.rawHeartbeats.get(0)).get("version")).containsExactly("0.4.0-uds");
        }
    }

    @Test
    void a_report_host_is_used_without_detecting_the_local_ip() throws Exception {
        HeartbeatService hb = service("127.0.0.1", List.of());
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(query(discovery.rawHeartbeats.get(0)).get("api_address")).containsExactly("http://127.0.0.1:8085");
        assertThat(hb.status().get("local_ip")).isEqualTo("127.0.0.1");
        assertThat(detections.get()).isZero();
    }

    @Test
    void an_empty_report_host_means_auto_detection_done_once_and_again_after_a_failure() throws Exception {
        HeartbeatService hb = service("", List.of());
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(query(discovery.rawHeartbeats.get(0)).get("api_address")).containsExactly("http://10.0.0.42:8085");
        assertThat(detections.get()).isEqualTo(1);

        discovery.status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isFalse();
        discovery.status = HttpResponseStatus.OK;
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(detections.get()).isEqualTo(2);
    }

    @Test
    void the_real_detector_finds_an_ipv4_address() {
        assertThat(LocalAddresses.detectIpv4()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void a_heartbeat_answered_500_is_a_failure_recorded_in_the_status() throws Exception {
        discovery.status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
        HeartbeatService hb = service("h", List.of());
        assertThat(hb.sendOnce(discovery.heartbeatUrl()).get(10, TimeUnit.SECONDS)).isFalse();
        Map<String, Object> s = hb.status();
        assertThat(s.get("consecutive_failures")).isEqualTo(1);
        assertThat(s.get("last_error")).isEqualTo("HTTP 500");
        assertThat(s.get("last_failure")).isNotNull();
        assertThat(s.get("last_success")).isNull();
    }

    @Test
    void status_says_null_before_start_true_while_running_false_after_stop() throws Exception {
        HeartbeatService hb = service("h", List.of());
        Map<String, Object> fresh = hb.status();
        assertThat(fresh).containsKeys("running", "local_ip", "startup_time", "current_time", "last_success",
                "last_failure", "last_error", "consecutive_failures");
        assertThat(fresh.get("running")).isNull();
        assertThat(hb.stop()).isFalse();

        assertThat(hb.start(discovery.heartbeatUrl(), Duration.ZERO, Duration.ofSeconds(30))).isTrue();
        assertThat(hb.start(discovery.heartbeatUrl(), Duration.ZERO, Duration.ofSeconds(30))).isFalse();
        assertThat(hb.status().get("running")).isEqualTo(true);
        await().atMost(10, TimeUnit.SECONDS).until(() -> hb.status().get("last_success") != null);
        assertThat(hb.stop()).isTrue();
        assertThat(hb.status().get("running")).isEqualTo(false);
        assertThat(hb.stop()).isFalse();
    }

    @Test
    void beats_repeat_at_the_interval() throws Exception {
        try (HeartbeatService hb = service("h", List.of())) {
            hb.start(discovery.heartbeatUrl(), Duration.ZERO, Duration.ofMillis(100));
            await().atMost(15, TimeUnit.SECONDS).until(() -> discovery.rawHeartbeats.size() >= 5);
        }
    }

    @Test
    void an_initial_delay_postpones_the_first_beat() throws Exception {
        try (HeartbeatService hb = service("h", List.of())) {
            hb.start(discovery.heartbeatUrl(), Duration.ofMillis(800), Duration.ofSeconds(30));
            Thread.sleep(300);
            assertThat(discovery.rawHeartbeats).isEmpty();
            await().atMost(10, TimeUnit.SECONDS).until(() -> discovery.rawHeartbeats.size() == 1);
        }
    }

    @Test
    void stopping_deregisters_from_discovery_and_sends_no_more_beats() throws Exception {
        HeartbeatService hb = service("127.0.0.1", List.of());
        hb.start(discovery.heartbeatUrl(), Duration.ZERO, Duration.ofMillis(200));
        await().atMost(10, TimeUnit.SECONDS).until(() -> discovery.registered.containsKey("http://127.0.0.1:8085"));
        assertThat(hb.stop()).isTrue();
        assertThat(discovery.registered).isEmpty();
        assertThat(discovery.rawDeregistrations).containsExactly(
                "/lmcache_deregister?api_address=http%3A%2F%2F127.0.0.1%3A8085");
        int beats = discovery.rawHeartbeats.size();
        Thread.sleep(600);
        assertThat(discovery.rawHeartbeats).hasSize(beats);
        assertThat(discovery.registered).isEmpty();
    }

    @Test
    void while_discovery_is_down_retries_come_quickly_and_a_restarted_discovery_hears_well_before_an_interval()
            throws Exception {
        int port = discovery.port();
        String url = discovery.heartbeatUrl();
        discovery.close();
        try (HeartbeatService hb = service("127.0.0.1", List.of())) {
            hb.start(url, Duration.ZERO, Duration.ofSeconds(120));
            await().atMost(10, TimeUnit.SECONDS).until(() -> (int) hb.status().get("consecutive_failures") >= 2);
            assertThat((String) hb.status().get("last_error")).isNotEmpty();
            discovery = FakeDiscovery.start(port);
            // backoff 1 s, 2 s, 4 s, ... capped at the interval: the next retry is seconds away, not 120 s
            await().atMost(30, TimeUnit.SECONDS).until(() -> !discovery.rawHeartbeats.isEmpty());
            await().atMost(5, TimeUnit.SECONDS).until(() -> (int) hb.status().get("consecutive_failures") == 0);
            assertThat(hb.status().get("last_success")).isNotNull();
        }
    }
}
