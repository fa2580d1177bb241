package io.lmcache.benchmarks.discovery;

import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.lmcache.discovery.http.DiscoveryRoutes;
import io.lmcache.discovery.http.InfosRenderer;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.discovery.registry.NodeEntry;
import io.lmcache.discovery.registry.RejectedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The discovery service's two hot paths: accepting heartbeats over loopback (a real server and one keep-alive pooled
 * client per benchmark thread, each request waiting for its answer), and producing {@code /lmcache_infos} for 10,000
 * registered nodes (in process, and end to end over HTTP).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'discovery' -f 1 -wi 2 -i 3 -w 2s -r 3s</pre>
 */
public class DiscoveryBenchmark {
    static final int FLEET_SIZE = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_INFOS_BYTES = 64 * 1024 * 1024;
    /** A heartbeat's query as the reference agent sends it, except for the address. */
    private static final String QUERY_TAIL = "&pid=4242&version=0.3.9"
            + "&other_info=%7B%22startup_time%22%3A+%222025-01-02T03%3A04%3A05.123456%22%2C+%22nodes_count%22%3A+2%7D";

    /** A discovery server with 10,000 registered nodes and a pooled keep-alive client. */
    @State(Scope.Benchmark)
    public static class Service {
        DiscoveryRegistry registry;
        HttpServer server;
        HttpFetcher fetcher;
        HttpTarget target;
        String[] heartbeatPaths;

        @Setup(Level.Trial)
        public void start() throws InterruptedException, RejectedException {
            registry = DiscoveryRegistry.create(TimeUnit.HOURS.toMillis(1), FLEET_SIZE * 2);
            Router router = new Router();
            DiscoveryRoutes.register(router, registry);
            Transport transport = Transport.select("auto");
            server = HttpServer.startLocal("discovery-bench", "127.0.0.1", 0, transport, 1, HttpLimits.DEFAULTS, router);
            fetcher = new HttpFetcher(transport);
            target = HttpTarget.of("127.0.0.1", server.port());
            heartbeatPaths = new String[FLEET_SIZE];
            for (int i = 0; i < FLEET_SIZE; i++) {
                String address = "http://10.0." + (i / 250) + "." + (i % 250) + ":8000";
                registry.heartbeat(address, "4242", "0.3.9",
                        "{\"startup_time\": \"2025-01-02T03:04:05.123456\", \"nodes_count\": 2}");
                heartbeatPaths[i] = "/lmcache_heartbeat?api_address="
                        + URLEncoder.encode(address, StandardCharsets.UTF_8) + QUERY_TAIL;
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            fetcher.close();
            server.close();
            registry.close();
        }
    }

    /** Each benchmark thread walks the fleet's addresses, so heartbeats update existing registrations. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().getId() * 7919 % FLEET_SIZE);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int heartbeatOverLoopback(Service service, Cursor cursor) {
        String path = service.heartbeatPaths[cursor.next++ % FLEET_SIZE];
        FetchResult r = service.fetcher.get(service.target, path, TIMEOUT, 1024).join();
        if (r.status() != 200) {
            throw new IllegalStateException("heartbeat answered " + r.status());
        }
        return r.body().length;
    }

    /** Four agents at once, each on its own pooled keep-alive connection. */
    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int heartbeatOverLoopbackFourClients(Service service, Cursor cursor) {
        return heartbeatOverLoopback(service, cursor);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int renderInfosFor10kNodes(Service service) {
        List<NodeEntry> entries = service.registry.snapshot();
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(entries.size() * 400);
        try {
            InfosRenderer.render(entries, service.registry.zone(), out);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int fetchInfosFor10kNodesOverLoopback(Service service) {
        FetchResult r = service.fetcher.get(service.target, "/lmcache_infos", TIMEOUT, MAX_INFOS_BYTES).join();
        if (r.status() != 200) {
            throw new IllegalStateException("/lmcache_infos answered " + r.status());
        }
        return r.body().length;
    }
}
