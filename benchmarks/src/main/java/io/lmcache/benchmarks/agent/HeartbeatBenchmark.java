package io.lmcache.benchmarks.agent;

import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.net.Transport;
import io.lmcache.discovery.DiscoveryServer;
import io.lmcache.discovery.config.DiscoveryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One complete heartbeat over loopback, as the agent sends it every interval: the {@code /version} probe of a
 * simulated MP node, then {@code GET /lmcache_heartbeat} to a real discovery server, over pooled connections.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar HeartbeatBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeartbeatBenchmark {
    private SimulatedMpServer node;
    private DiscoveryServer discovery;
    private HttpFetcher fetcher;
    private HeartbeatService service;
    private String url;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        node = SimulatedMpServer.start(SimulatorOptions.builder().build());
        discovery = DiscoveryServer.start(new DiscoveryConfig("127.0.0.1", 0, Duration.ofSeconds(90), 10_000,
                "nio", 1));
        fetcher = new HttpFetcher(Transport.NIO);
        List<HttpTarget> nodes = List.of(HttpTarget.of("127.0.0.1", node.port()));
        service = new HeartbeatService(fetcher, node.port(), "127.0.0.1", () -> nodes, 0);
        url = "http://127.0.0.1:" + discovery.port() + "/lmcache_heartbeat";
    }

    @Benchmark
    public boolean beat() throws Exception {
        return service.sendOnce(url).get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fetcher.close();
        discovery.close();
        node.close();
    }
}
