package io.lmcache.discovery.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.common.testing.RawHttp;
import io.lmcache.discovery.FakeClock;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.discovery.registry.EntryState;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The discovery endpoints over a real loopback server, driven by a fake clock. */
class DiscoveryRoutesTest {
    /** What the reference's HeartbeatService sends (httpx encodes the query as an HTML form: {@code +} for spaces). */
    private static final String REFERENCE_HEARTBEAT = "/lmcache_heartbeat?pid=4242"
            + "&api_address=http%3A%2F%2F10.1.2.3%3A8000&version=0.3.9-abc"
            + "&other_info=%7B%22startup_time%22%3A+%222025-01-02T03%3A04%3A05.123456%22%2C+%22nodes_count%22%3A+2%7D";
    private static final String REFERENCE_OTHER_INFO =
            "{\"startup_time\": \"2025-01-02T03:04:05.123456\", \"nodes_count\": 2}";

    private final FakeClock clock = new FakeClock();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private DiscoveryRegistry registry;
    private HttpServer server;

    private void start(int maxNodes) throws InterruptedException {
        registry = DiscoveryRegistry.create(90_000, maxNodes, clock.nanoTime(), clock.wall());
        Router router = new Router();
        DiscoveryRoutes.register(router, registry);
        server = HttpServer.startLocal("discovery-test", "127.0.0.1", 0, Transport.select("auto"), 2,
                HttpLimits.DEFAULTS, router);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery);
    }

    private HttpResponse<String> send(String method, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode infos(String query) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/lmcache_infos" + query);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        return Json.MAPPER.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void beat(String address) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/lmcache_heartbeat?api_address=" + enc(address) + "&pid=1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void a_heartbeat_sent_as_the_reference_agent_sends_it_is_listed_with_its_other_info_byte_for_byte()
            throws Exception {
        start(100);
        HttpResponse<String> r = get(REFERENCE_HEARTBEAT);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body())).isEqualTo(Json.MAPPER.readTree("{\"status\":\"success\"}"));

        JsonNode entity = infos("").at("/processInfos/http:~1~110.1.2.3:8000/lmCacheInfoEntities/0");
        assertThat(entity.get("otherInfo").textValue()).isEqualTo(REFERENCE_OTHER_INFO);
        assertThat(entity.get("pid").isIntegralNumber()).isTrue();
        assertThat(entity.get("pid").longValue()).isEqualTo(4242);
        assertThat(entity.get("version").textValue()).isEqualTo("0.3.9-abc");
    }

    @Test
    void percent_encoded_spaces_and_the_heartbeat_alias_are_accepted_too() throws Exception {
        start(100);
        String info = "{\"startup_time\": \"x y\", \"nodes_count\": 1, \"note\": \"ü+€\"}";
        String q = "?api_address=http://node-a:8000&pid=7&other_info="
                + enc(info).replace("+", "%20");
        assertThat(get("/heartbeat" + q).statusCode()).isEqualTo(200);
        JsonNode entity = infos("").at("/processInfos/http:~1~1node-a:8000/lmCacheInfoEntities/0");
        assertThat(entity.get("otherInfo").textValue()).isEqualTo(info);
        assertThat(entity.get("ipAddress").isNull()).isTrue();
        assertThat(entity.get("version").textValue()).isEqualTo("1.0.0");
    }

    @Test
    void the_node_list_has_the_reference_shape_key_by_key_with_real_times() throws Exception {
        start(100);
        get(REFERENCE_HEARTBEAT);
        clock.advance(Duration.ofSeconds(61));
        get(REFERENCE_HEARTBEAT.replace("version=0.3.9-abc", "version=0.4.0"));
        get("/lmcache_heartbeat?api_address=http%3A%2F%2Fnode-b%3A9000%2F");
        get("/lmcache_heartbeat?api_address=http%3A%2F%2Fnode-c%3A9000&version=0.4.0");

        JsonNode root = infos("");
        assertThat(fieldNames(root)).containsExactly("processCount", "versionCount", "versions", "processInfos");
        assertThat(root.get("processCount").intValue()).isEqualTo(3);
        assertThat(root.get("versionCount").intValue()).isEqualTo(2); // 0.4.0 and 1.0.0
        assertThat(root.get("versions").isNull()).isTrue();
        assertThat(fieldNames(root.get("processInfos")))
                .containsExactly("http://10.1.2.3:8000", "http://node-b:9000", "http://node-c:9000");

        JsonNode process = root.get("processInfos").get("http://10.1.2.3:8000");
        assertThat(fieldNames(process)).containsExactly("count", "lmCacheInfoEntities");
        assertThat(process.get("count").intValue()).isEqualTo(1);
        assertThat(process.get("lmCacheInfoEntities")).hasSize(1);
        JsonNode e = process.get("lmCacheInfoEntities").get(0);
        assertThat(fieldNames(e)).containsExactly("ipAddress", "pid", "apiAddress", "version", "startTime",
                "lastReportTime", "otherInfo", "state");
        assertThat(e.get("ipAddress").textValue()).isEqualTo("10.1.2.3");
        assertThat(e.get("pid").longValue()).isEqualTo(4242);
        assertThat(e.get("apiAddress").textValue()).isEqualTo("http://10.1.2.3:8000");
        assertThat(e.get("version").textValue()).isEqualTo("0.4.0");
        assertThat(e.get("startTime").textValue()).isEqualTo("2025-01-02 03:04:05");
        assertThat(e.get("lastReportTime").textValue()).isEqualTo("2025-01-02 03:05:06");
        assertThat(e.get("otherInfo").textValue()).isEqualTo(REFERENCE_OTHER_INFO);
        assertThat(e.get("state").textValue()).isEqualTo("up");

        JsonNode b = root.at("/processInfos/http:~1~1node-b:9000/lmCacheInfoEntities/0");
        assertThat(b.has("ipAddress")).isTrue();
        assertThat(b.get("ipAddress").isNull()).isTrue();
        assertThat(b.get("pid").isNull()).isTrue();
        assertThat(b.get("otherInfo").textValue()).isEqualTo("{}");
    }

    @Test
    void hour_and_minute_filters_keep_nodes_that_reported_recently_and_hour_wins() throws Exception {
        start(100);
        beat("http://old:1");
        clock.advance(Duration.ofSeconds(50));
        beat("http://recent:1");
        clock.advance(Duration.ofSeconds(30)); // old: 80 s ago (stale), recent: 30 s ago

        assertThat(fieldNames(infos("?minute=1").get("processInfos"))).containsExactly("http://recent:1");
        assertThat(infos("?minute=1").get("processCount").intValue()).isEqualTo(1);
        assertThat(infos("?minute=1").get("versionCount").intValue()).isEqualTo(1);
        assertThat(fieldNames(infos("?minute=2").get("processInfos"))).containsExactly("http://old:1", "http://recent:1");
        assertThat(fieldNames(infos("?hour=1&minute=0").get("processInfos"))).hasSize(2);
        assertThat(infos("?hour=0&minute=5").get("processCount").intValue()).isZero();
        assertThat(infos("?minute=").get("processCount").intValue()).isEqualTo(2); // empty: ignored as before

        assertThat(get("/lmcache_infos?hour=abc").statusCode()).isEqualTo(400);
        assertThat(get("/lmcache_infos?minute=-1").body()).contains("\"detail\"");
    }

    @Test
    void a_node_that_missed_a_beat_is_shown_stale_and_one_past_the_ttl_is_not_shown() throws Exception {
        start(100);
        beat("http://a:1");
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(45));
        beat("http://b:1");
        JsonNode root = infos("");
        assertThat(root.at("/processInfos/http:~1~1a:1/lmCacheInfoEntities/0/state").textValue()).isEqualTo("stale");
        assertThat(root.at("/processInfos/http:~1~1b:1/lmCacheInfoEntities/0/state").textValue()).isEqualTo("up");
        assertThat(registry.state("http://a:1")).contains(EntryState.STALE);

        clock.advance(Duration.ofSeconds(45));
        root = infos("");
        assertThat(fieldNames(root.get("processInfos"))).containsExactly("http://b:1");
        assertThat(root.get("processCount").intValue()).isEqualTo(1);
    }

    @Test
    void deregistration_by_get_or_delete_removes_the_node_and_repeats_succeed() throws Exception {
        start(100);
        beat("http://a:1");
        beat("http://b:1");
        HttpResponse<String> r = get("/lmcache_deregister?api_address=" + enc("http://a:1"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"success\"}");
        assertThat(get("/lmcache_deregister?api_address=" + enc("http://a:1")).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/lmcache_deregister?api_address=" + enc("http://b:1/")).statusCode()).isEqualTo(200);
        assertThat(registry.liveApiAddresses()).isEmpty();
        assertThat(send("DELETE", "/lmcache_deregister").statusCode()).isEqualTo(400);
        assertThat(get("/lmcache_deregister?api_address=ftp://x:1").statusCode()).isEqualTo(400);
    }

    @ParameterizedTest(name = "query [{0}]")
    @ValueSource(strings = {
        "",                                          // no api_address at all
        "?pid=1",
        "?api_address=",                             // empty
        "?api_address=not+a+url",
        "?api_address=http%3A%2F%2F%3A8000",         // no host
        "?api_address=http%3A%2F%2Fnode",            // no port
        "?api_address=ftp%3A%2F%2Fnode%3A21",        // not http(s)
        "?api_address=http%3A%2F%2Fnode%3A1&pid=12abc",
        "?api_address=http%3A%2F%2Fnode%3A1&pid=1.5",
    })
    void bad_heartbeats_get_400_with_a_detail_and_change_nothing(String query) throws Exception {
        start(100);
        beat("http://keep:1");
        HttpResponse<String> r = get("/lmcache_heartbeat" + query);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("detail").textValue()).isNotBlank();
        assertThat(registry.liveApiAddresses()).containsExactly("http://keep:1");
    }

    @Test
    void a_malformed_percent_escape_gets_400_and_changes_nothing() throws Exception {
        start(100);
        RawHttp.Reply r = RawHttp.send(server.port(), "GET /lmcache_heartbeat?api_address=http%3A%2F%2Fnode%3A1"
                + "&other_info=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Malformed query string");
        assertThat(registry.liveApiAddresses()).isEmpty();
    }

    @Test
    void oversized_fields_get_400_and_an_oversized_request_line_gets_414() throws Exception {
        start(100);
        String base = "/lmcache_heartbeat?api_address=http%3A%2F%2Fnode%3A1";
        HttpResponse<String> version = get(base + "&version=" + "v".repeat(DiscoveryRegistry.MAX_VERSION_CHARS + 1));
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(version.body()).contains("version");
        HttpResponse<String> info = get(base + "&other_info=" + "x".repeat(DiscoveryRegistry.MAX_OTHER_INFO_CHARS + 1));
        assertThat(info.statusCode()).isEqualTo(400);
        assertThat(info.body()).contains("other_info");

        RawHttp.Reply uri = RawHttp.send(server.port(), "GET " + base + "&other_info="
                + "x".repeat(HttpLimits.DEFAULT_MAX_INITIAL_LINE_BYTES) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(uri.status()).isEqualTo(414);
        assertThat(uri.body()).contains("\"detail\"");
        assertThat(registry.liveApiAddresses()).isEmpty();
    }

    @Test
    void oversized_headers_get_431_and_an_ambiguous_length_gets_400_and_a_closed_connection() throws Exception {
        start(100);
        RawHttp.Reply headers = RawHttp.send(server.port(), "GET /lmcache_heartbeat?api_address=http://n:1 HTTP/1.1\r\n"
                + "Host: x\r\nX-Big: " + "a".repeat(HttpLimits.DEFAULT_MAX_HEADER_BYTES + 10) + "\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.body()).contains("\"detail\"");

        RawHttp.Reply smuggle = RawHttp.send(server.port(), "GET /lmcache_heartbeat?api_address=http://n:1 HTTP/1.1\r\n"
                + "Host: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(smuggle.status()).isEqualTo(400);
        assertThat(smuggle.body()).contains("Transfer-Encoding");
        assertThat(smuggle.closed()).isTrue();
        assertThat(registry.liveApiAddresses()).isEmpty();
    }

    @Test
    void a_flood_of_new_addresses_beyond_max_nodes_gets_429_while_registered_nodes_keep_beating() throws Exception {
        start(3);
        beat("http://a:1");
        beat("http://b:1");
        beat("http://c:1");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get("/lmcache_heartbeat?api_address=" + enc("http://flood-" + i + ":1"));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("Too many nodes");
        }
        clock.advance(Duration.ofSeconds(30));
        beat("http://b:1");
        assertThat(registry.liveApiAddresses()).containsExactly("http://a:1", "http://b:1", "http://c:1");
        assertThat(registry.entry("http://b:1").orElseThrow().lastReportTime())
                .isEqualTo(FakeClock.START.plusSeconds(30));
    }

    @Test
    void unknown_paths_are_404_and_wrong_methods_405() throws Exception {
        start(100);
        HttpResponse<String> missing = get("/lmcache_nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        assertThat(get("/health").statusCode()).isEqualTo(404); // the embedding server owns /health
        assertThat(get("/metrics").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/lmcache_heartbeat?api_address=http://a:1");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET");
        assertThat(send("PUT", "/lmcache_deregister").headers().firstValue("allow")).contains("GET, DELETE");
    }

    @Test
    void many_parallel_clients_registering_distinct_nodes_lose_none() throws Exception {
        int threads = 8;
        int perThread = 500;
        start(threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        String address = "http://10." + thread + "." + (i / 250) + "." + (i % 250) + ":8000";
                        HttpResponse<String> r = get("/lmcache_heartbeat?pid=" + i + "&api_address=" + enc(address)
                                + "&version=v" + thread + "&other_info=" + enc("{\"i\": " + i + "}"));
                        if (r.statusCode() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(perThread);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode root = infos("");
        assertThat(root.get("processCount").intValue()).isEqualTo(threads * perThread);
        assertThat(root.get("versionCount").intValue()).isEqualTo(threads);
        assertThat(root.get("processInfos").size()).isEqualTo(threads * perThread);
        assertThat(root.at("/processInfos/http:~1~110.7.1.249:8000/lmCacheInfoEntities/0/otherInfo").textValue())
                .isEqualTo("{\"i\": 499}");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
