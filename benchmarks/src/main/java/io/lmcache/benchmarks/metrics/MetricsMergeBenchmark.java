package io.lmcache.benchmarks.metrics;

import io.lmcache.gateway.metrics.MetricsLimits;
import io.lmcache.gateway.metrics.PrometheusMerge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + merge throughput of {@code /metrics} for a fleet of {@value #NODES} LMCache nodes with
 * {@value #SAMPLES_PER_NODE} samples each: decoding each body, parsing it with the {@code node} label added, grouping
 * families across nodes and rendering the 0.0.4 text. The score is samples per second (one operation = one sample).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'metrics' -f 1 -wi 2 -i 3 -w 2s -r 3s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MetricsMergeBenchmark {
    static final int NODES = 100;
    static final int SAMPLES_PER_NODE = 2_000;
    static final int SAMPLES = NODES * SAMPLES_PER_NODE;

    private List<PrometheusMerge.NodeBody> bodies;
    private StringBuilder out;

    @Setup(Level.Trial)
    public void setUp() {
        bodies = new ArrayList<>(NODES);
        for (int i = 0; i < NODES; i++) {
            bodies.add(new PrometheusMerge.NodeBody("lmcache-node-" + i, "text/plain; version=0.0.4; charset=utf-8",
                    LmcacheMetricsText.node(SAMPLES_PER_NODE, i).getBytes(StandardCharsets.UTF_8)));
        }
        out = new StringBuilder(64 * 1024 * 1024);
        PrometheusMerge.Outcome check = PrometheusMerge.merge(bodies, MetricsLimits.DEFAULT_MAX_SAMPLES_PER_NODE,
                out::append);
        if (check.samples() != SAMPLES || !check.invalidNodes().isEmpty()) {
            throw new IllegalStateException("benchmark input is not what it claims: " + check);
        }
    }

    /** The whole node part of a scrape: 200,000 samples in, one merged exposition out. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int parseMergeAndRender() {
        out.setLength(0);
        PrometheusMerge.Outcome outcome = PrometheusMerge.merge(bodies, MetricsLimits.DEFAULT_MAX_SAMPLES_PER_NODE,
                out::append);
        return outcome.samples() + out.length();
    }
}
