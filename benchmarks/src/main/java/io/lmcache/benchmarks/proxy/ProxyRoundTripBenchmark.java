package io.lmcache.benchmarks.proxy;

import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.config.GatewayConfig;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency of one keep-alive client through the gateway's {@code /proxy2/<node>/...} against the same
 * client talking to the simulated MP server directly, in one JVM: the difference is what the proxy adds. {@code small}
 * is {@code GET /} (a few dozen bytes), {@code 1MiB} a streamed {@code GET /api/kv/retrieve?bytes=1048576}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ProxyRoundTrip}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class ProxyRoundTripBenchmark {
    @Param({"small", "1MiB"})
    public String body;

    private SimulatedMpServer origin;
    private Gateway gateway;
    private KeepAliveClient direct;
    private KeepAliveClient proxied;
    private byte[] directRequest;
    private byte[] proxiedRequest;

    @Setup(Level.Trial)
    public void start() throws Exception {
        origin = SimulatedMpServer.start("127.0.0.1", 0);
        String nodes = "[{\"name\":\"sim\",\"host\":\"127.0.0.1\",\"port\":" + origin.port() + "}]";
        gateway = Gateway.start(GatewayConfig.defaults().toBuilder()
                .host("127.0.0.1").port(0).nodesJson(nodes).ioThreads(2).build());
        String path = body.equals("small") ? "/" : "/api/kv/retrieve?bytes=1048576";
        directRequest = KeepAliveClient.get(path);
        proxiedRequest = KeepAliveClient.get("/proxy2/sim" + path);
        direct = new KeepAliveClient(origin.port());
        proxied = new KeepAliveClient(gateway.port());
        proxied.exchange(proxiedRequest); // fails fast if the route is not there
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        direct.close();
        proxied.close();
        gateway.close();
        origin.close();
    }

    @Benchmark
    public long direct() throws IOException {
        return direct.exchange(directRequest);
    }

    @Benchmark
    public long throughGateway() throws IOException {
        return proxied.exchange(proxiedRequest);
    }
}
