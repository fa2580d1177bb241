package io.lmcache.gateway.nodes;

import static io.lmcache.gateway.TestHttp.infos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.SelfAddress;
import io.lmcache.gateway.TestHttp;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory against real loopback fakes, with a fake ticker driving refreshes and ages. */
class NodeDirectoryTest {
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final List<HttpServer> servers = new ArrayList<>();
    private HttpFetcher fetcher;

    @BeforeEach
    void setUp() {
        fetcher = new HttpFetcher(Transport.select("nio"));
    }

    @AfterEach
    void tearDown() {
        for (HttpServer s : servers) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closed by the test already
            }
        }
        fetcher.close();
    }

    private HttpServer serve(Router router) throws InterruptedException {
        HttpServer s = TestHttp.fake(router);
        servers.add(s);
        return s;
    }

    /** An MP-like node: no /api/nodes (404). */
    private int mpNode() throws InterruptedException {
        return serve(new Router().get("/version", ex -> ex.json(HttpResponseStatus.OK, "1.2.3"))).port();
    }

    private NodeDirectory directory(GatewayConfig config) {
        NodeDirectory d = NodeDirectories.create(config, fetcher, null, new GatewayMetrics(new CollectorRegistry(true)),
                new SelfAddress("127.0.0.1", 1), ticker, ForkJoinPool.commonPool());
        d.start();
        assertThat(d.awaitFirstLoad(Duration.ofSeconds(20))).isTrue();
        return d;
    }

    private GatewayConfig supplier(int port) {
        return GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0).refreshInterval(REFRESH)
                .connectTimeout(Duration.ofSeconds(3))
                .nodeSupplierUrl("http://127.0.0.1:" + port + "/lmcache_infos").build();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void a_failed_refresh_keeps_the_last_good_tree_and_exposes_the_error_and_the_age() throws Exception {
        int mp1 = mpNode();
        int mp2 = mpNode();
        String answer = infos("http://127.0.0.1:" + mp1, "http://127.0.0.1:" + mp2);
        HttpServer discovery = serve(new Router().get("/lmcache_infos", ex -> ex.respond(
                io.lmcache.common.http.Responses.bytes(HttpResponseStatus.OK, "application/json", answer.getBytes()))));
        NodeDirectory d = directory(supplier(discovery.port()));

        NodeTree good = d.tree();
        assertThat(good.proxies()).extracting(ProxyNode::name)
                .containsExactly("proxy_127.0.0.1_" + mp1, "proxy_127.0.0.1_" + mp2);
        assertThat(good.lastError()).isNull();
        ProxyNode first = good.proxies().get(0);
        assertThat(first.cascade()).isFalse();
        assertThat(first.nodes()).containsExactly(new Leaf(first.name(), "127.0.0.1", Integer.toString(mp1), first.name()));

        discovery.close();
        advance(REFRESH.plusSeconds(1));
        d.tree(); // a read past the interval starts one background refresh
        await().atMost(Duration.ofSeconds(30)).until(() -> d.tree().lastError() != null);

        NodeTree kept = d.tree();
        assertThat(kept.proxies()).isEqualTo(good.proxies());
        assertThat(kept.loadedAtMillis()).isEqualTo(good.loadedAtMillis());
        assertThat(kept.lastError()).contains("Connect");
        assertThat(d.ageSeconds()).isGreaterThanOrEqualTo(31.0);
        assertThat(d.route("proxy_127.0.0.1_" + mp1)).isPresent();
    }

    @Test
    void reads_trigger_at_most_one_refresh_per_interval() throws Exception {
        int mp = mpNode();
        AtomicInteger hits = new AtomicInteger();
        String answer = infos("http://127.0.0.1:" + mp);
        HttpServer discovery = serve(new Router().get("/lmcache_infos", ex -> {
            hits.incrementAndGet();
            ex.respond(io.lmcache.common.http.Responses.bytes(HttpResponseStatus.OK, "application/json",
                    answer.getBytes()));
        }));
        NodeDirectory d = directory(supplier(discovery.port()));
        for (int i = 0; i < 50; i++) {
            d.tree();
            d.route("x");
        }
        assertThat(hits.get()).isEqualTo(1);

        advance(REFRESH.plusSeconds(1));
        for (int i = 0; i < 50; i++) {
            d.tree();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> hits.get() >= 2);
        for (int i = 0; i < 50; i++) {
            d.tree();
        }
        Thread.sleep(300); // a second refresh would need another interval: give a wrong one time to show
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void an_empty_fleet_from_a_source_that_answered_replaces_the_tree() throws Exception {
        int mp = mpNode();
        AtomicReference<String> answer = new AtomicReference<>(infos("http://127.0.0.1:" + mp));
        HttpServer discovery = serve(new Router().get("/lmcache_infos", ex -> ex.respond(
                io.lmcache.common.http.Responses.bytes(HttpResponseStatus.OK, "application/json",
                        answer.get().getBytes()))));
        NodeDirectory d = directory(supplier(discovery.port()));
        assertThat(d.tree().proxies()).hasSize(1);

        answer.set("{\"processInfos\":{}}");
        advance(REFRESH.plusSeconds(1));
        d.tree();
        await().atMost(Duration.ofSeconds(20)).until(() -> d.tree().proxies().isEmpty());
        assertThat(d.tree().lastError()).isNull();
        assertThat(d.leafRoutes()).isEmpty();
    }

    @Test
    void one_malformed_address_is_skipped_and_the_rest_is_listed() throws Exception {
        int mp = mpNode();
        AtomicReference<String> answer = new AtomicReference<>(infos("https://127.0.0.1:8443",
                "http://127.0.0.1:" + mp + "/some/path", "http://127.0.0.1", "not a url at all",
                "http://127.0.0.1:" + mp, "127.0.0.1:" + mp, "http://[::1]:" + mp + "/"));
        HttpServer discovery = serve(new Router().get("/lmcache_infos", ex -> ex.respond(
                io.lmcache.common.http.Responses.bytes(HttpResponseStatus.OK, "application/json",
                        answer.get().getBytes()))));
        NodeDirectory d = directory(supplier(discovery.port()));

        assertThat(d.tree().proxies()).extracting(ProxyNode::name)
                .containsExactly("proxy_127.0.0.1_" + mp, "proxy___1_" + mp);
        assertThat(d.tree().lastError()).isNull();

        // a list whose every entry is unusable is a failed refresh, not an empty fleet
        answer.set(infos("https://a:1", "http://b"));
        advance(REFRESH.plusSeconds(1));
        d.tree();
        await().atMost(Duration.ofSeconds(20)).until(() -> d.tree().lastError() != null);
        assertThat(d.tree().lastError()).contains("usable apiAddress");
        assertThat(d.tree().proxies()).hasSize(2);
    }

    @Test
    void a_supplier_that_is_down_at_start_gives_an_empty_tree_with_the_error() throws Exception {
        HttpServer gone = serve(new Router());
        int port = gone.port();
        gone.close();
        servers.remove(gone);
        NodeDirectory d = directory(supplier(port));
        assertThat(d.tree().proxies()).isEmpty();
        assertThat(d.tree().lastError()).isNotNull();
        assertThat(d.ageSeconds()).isNull();
    }

    @Test
    void coordinator_instances_become_mp_nodes_with_string_ports() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("{\"instances\":["
                + "{\"instance_id\":\"a\",\"ip\":\"10.0.0.1\",\"http_port\":8080,\"registration_time\":1.7e9},"
                + "{\"instance_id\":7,\"ip\":\"10.0.0.2\",\"http_port\":\"9090\"},"
                + "{\"instance_id\":\"noip\",\"http_port\":1},"
                + "{\"instance_id\":\"badport\",\"ip\":\"10.0.0.3\",\"http_port\":\"http\"}]}");
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer coordinator = serve(new Router().get("/coord/instances", ex -> {
            path.set(ex.path());
            ex.respond(io.lmcache.common.http.Responses.bytes(HttpResponseStatus.OK, "application/json",
                    answer.get().getBytes()));
        }));
        GatewayConfig config = GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .coordinatorUrl("http://127.0.0.1:" + coordinator.port() + "/coord//").build();
        NodeDirectory d = directory(config);

        assertThat(path.get()).isEqualTo("/coord/instances");
        assertThat(d.tree().proxies()).containsExactly(
                new ProxyNode("mp_a", "10.0.0.1", "8080", false, List.of(new Leaf("mp_a", "10.0.0.1", "8080", "mp_a"))),
                new ProxyNode("mp_7", "10.0.0.2", "9090", false, List.of(new Leaf("mp_7", "10.0.0.2", "9090", "mp_7"))));
        assertThat(d.route("mp_7").orElseThrow().target()).isEqualTo(new io.lmcache.common.client.HttpTarget("10.0.0.2", "9090"));
        assertThat(d.sourceDescription()).startsWith("coordinator ");

        answer.set("{\"instances\":null}");
        advance(Duration.ofSeconds(31));
        d.tree();
        await().atMost(Duration.ofSeconds(20)).until(() -> d.tree().proxies().isEmpty());
        assertThat(d.tree().lastError()).isNull();
    }

    @Test
    void nodes_json_accepts_numeric_and_string_ports_and_socket_paths_under_local_proxy() {
        GatewayConfig config = GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .nodesJson("[{\"name\":\"n1\",\"host\":\"127.0.0.1\",\"port\":8001},"
                        + "{\"name\":\"n2\",\"host\":\"127.0.0.1\",\"port\":\"8002\"},"
                        + "{\"name\":\"sock\",\"host\":\"localhost\",\"port\":\"/tmp/lmcache.sock\"},"
                        + "{\"name\":\"bad\",\"host\":\"127.0.0.1\",\"port\":70000},"
                        + "{\"name\":\"nohost\",\"port\":1},"
                        + "{\"name\":\"n1\",\"host\":\"127.0.0.1\",\"port\":8009},"
                        + "\"not an object\"]").build();
        NodeDirectory d = directory(config);

        ProxyNode local = d.tree().proxies().get(0);
        assertThat(local.name()).isEqualTo("local_proxy");
        assertThat(local.host()).isEqualTo("127.0.0.1");
        assertThat(local.port()).isEqualTo("1"); // the gateway's own (bound) port
        assertThat(local.nodes()).extracting(Leaf::name).containsExactly("n1", "n2", "sock", "n1_2");
        assertThat(local.nodes()).extracting(Leaf::port).containsExactly("8001", "8002", "/tmp/lmcache.sock", "8009");
        assertThat(d.isRegisteredTarget("127.0.0.1", "8002")).isTrue();
        assertThat(d.isRegisteredTarget("localhost", "/tmp/lmcache.sock")).isTrue();
        assertThat(d.isRegisteredTarget("127.0.0.1", "8003")).isFalse();
        assertThat(d.route("n2").orElseThrow().pathPrefix()).isEmpty();
        assertThat(d.leafRoutes()).extracting(Route::nodeName).containsExactly("n1", "n2", "sock", "n1_2");
    }

    @Test
    void config_file_takes_tree_entries_and_flat_entries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nodes.json");
        Files.writeString(file, "[{\"name\":\"rack1\",\"host\":\"10.0.0.9\",\"port\":9000,\"nodes\":["
                + "{\"name\":\"a\",\"host\":\"10.0.0.1\",\"port\":8001},{\"name\":\"b\",\"host\":\"10.0.0.2\"}]},"
                + "{\"name\":\"solo\",\"host\":\"localhost\",\"port\":\"/run/mp.sock\"},"
                + "{\"name\":\"broken\",\"host\":\"h\",\"port\":1,\"nodes\":\"x\"}]");
        GatewayConfig config = GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .configFile(file.toString()).build();
        NodeDirectory d = directory(config);

        assertThat(d.tree().proxies()).containsExactly(
                new ProxyNode("rack1", "10.0.0.9", "9000", false, List.of(new Leaf("a", "10.0.0.1", "8001", "rack1"))),
                new ProxyNode("solo", "localhost", "/run/mp.sock", false,
                        List.of(new Leaf("solo", "localhost", "/run/mp.sock", "solo"))));
        assertThat(d.route("a").orElseThrow().target().host()).isEqualTo("10.0.0.1");
    }
}
