package io.lmcache.agent.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything that shapes one simulated MP server. Immutable and validated; build with {@link #builder()}.
 *
 * @param host          bind address
 * @param port          TCP port, 0 for a free one
 * @param name          node name, shown in {@code /env}, {@code /conf} and the {@code worker_id}-less labels
 * @param seed          makes the simulated workload (rates, hit rate, memory) differ between nodes, reproducibly
 * @param latency       added before every answer (0 = none)
 * @param failureRate   share of requests answered {@code 503} (0.0 to 1.0)
 * @param version       the value {@code /version} reports (without quotes), e.g. {@code 0.3.9-abc123}
 * @param modelName     the {@code model_name} label and the GPU context's model
 * @param transport     {@code auto|epoll|io_uring|nio}
 * @param ioThreads     event-loop threads (1 is plenty for a test node; more for a benchmark origin)
 * @param socketPath    if not null, the same routes are also served on this Unix domain socket (as an MP server
 *                      started with {@code http_socket_path})
 */
public record SimulatorOptions(String host, int port, String name, long seed, Duration latency, double failureRate,
                               String version, String modelName, String transport, int ioThreads,
                               java.nio.file.Path socketPath) {
    public static final String DEFAULT_VERSION = "0.3.9-sim";
    public static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

    public SimulatorOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(transport, "transport");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + failureRate);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).name(name).seed(seed).latency(latency).failureRate(failureRate)
                .version(version).modelName(modelName).transport(transport).ioThreads(ioThreads)
                .socketPath(socketPath);
    }

    /** Defaults: {@code 127.0.0.1:0}, name {@code sim-0}, seed 0, no latency, no failures, one I/O thread. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String name = "sim-0";
        private long seed;
        private Duration latency = Duration.ZERO;
        private double failureRate;
        private String version = DEFAULT_VERSION;
        private String modelName = DEFAULT_MODEL;
        private String transport = "auto";
        private int ioThreads = 1;
        private java.nio.file.Path socketPath;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder latency(Duration v) { latency = v; return this; }
        public Builder failureRate(double v) { failureRate = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder modelName(String v) { modelName = v; return this; }
        public Builder transport(String v) { transport = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder socketPath(java.nio.file.Path v) { socketPath = v; return this; }

        public SimulatorOptions build() {
            return new SimulatorOptions(host, port, name, seed, latency, failureRate, version, modelName, transport,
                    ioThreads, socketPath);
        }
    }
}
