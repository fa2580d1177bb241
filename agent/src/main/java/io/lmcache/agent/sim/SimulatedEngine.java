package io.lmcache.agent.sim;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The simulated cache engine's numbers. Everything is a pure function of the time elapsed since start (or since the
 * last {@link #reset()}) and the seed, so counters only grow, gauges wander, no background thread is needed and two
 * nodes with different seeds look different. Thread-safe.
 */
final class SimulatedEngine {
    static final long L1_CAPACITY_BYTES = 8L * 1024 * 1024 * 1024;
    static final int CHUNK_SIZE_TOKENS = 256;
    static final double[] LATENCY_BUCKETS_SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AtomicLong resetNanos;
    /** Retrieve requests per second. */
    private final double requestRate;
    /** Tokens per request. */
    private final double tokensPerRequest;
    /** Centre of the wandering hit rate. */
    private final double baseHitRate;
    /** Phase and period of the wandering gauges. */
    private final double phase;
    private final double periodSeconds;
    /** Share of requests in each latency bucket (cumulative, last = 1). */
    private final double[] latencyCdf;
    private final double meanLatencySeconds;

    SimulatedEngine(long seed, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.resetNanos = new AtomicLong(startNanos);
        SplittableRandom r = new SplittableRandom(seed);
        this.requestRate = 5 + r.nextDouble() * 45;
        this.tokensPerRequest = 512 + r.nextInt(3584);
        this.baseHitRate = 0.45 + r.nextDouble() * 0.45;
        this.phase = r.nextDouble() * Math.PI * 2;
        this.periodSeconds = 60 + r.nextDouble() * 240;
        double shift = r.nextDouble();
        this.latencyCdf = new double[LATENCY_BUCKETS_SECONDS.length];
        double[] base = {0.05, 0.30, 0.55, 0.78, 0.90, 0.96, 0.99, 0.997, 1.0};
        for (int i = 0; i < base.length; i++) {
            latencyCdf[i] = i == base.length - 1 ? 1.0 : Math.min(1.0, base[i] * (0.8 + 0.2 * shift) + 0.01 * shift);
        }
        this.meanLatencySeconds = 0.01 + 0.02 * shift;
    }

    /** Restarts the counters at zero, as {@code POST /metrics/reset} does. */
    void reset() {
        resetNanos.set(nanoClock.getAsLong());
    }

    /** A consistent view of every number at one instant. */
    Snapshot snapshot() {
        long now = nanoClock.getAsLong();
        double uptime = (now - startNanos) / 1e9;
        double sinceReset = Math.max(0, (now - resetNanos.get()) / 1e9);
        double wave = Math.sin(phase + 2 * Math.PI * uptime / periodSeconds);
        long retrieves = (long) (sinceReset * requestRate);
        long stores = (long) (sinceReset * requestRate * 0.6);
        long lookups = (long) (sinceReset * requestRate * 1.4);
        long requestedTokens = (long) (retrieves * tokensPerRequest);
        double hitRate = clamp(baseHitRate + 0.08 * wave, 0, 1);
        long hitTokens = (long) (requestedTokens * hitRate);
        long storedTokens = (long) (stores * tokensPerRequest);
        double usage = clamp(0.35 + 0.25 * wave + 0.2 * Math.min(1, uptime / 600), 0.01, 0.97);
        long used = (long) (L1_CAPACITY_BYTES * usage);
        long objects = used / (CHUNK_SIZE_TOKENS * 128 * 1024L / 256);
        int pending = (int) Math.round(Math.max(0, 3 + 3 * wave));
        return new Snapshot(uptime, retrieves, stores, lookups, requestedTokens, hitTokens, storedTokens, hitRate,
                used, L1_CAPACITY_BYTES, objects, pending, (long) (sinceReset / 7), latencyCdf,
                retrieves * meanLatencySeconds);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Numbers at one instant; counters count since the last reset. */
    record Snapshot(double uptimeSeconds, long retrieveRequests, long storeRequests, long lookupRequests,
                    long requestedTokens, long hitTokens, long storedTokens, double hitRate, long memoryUsedBytes,
                    long memoryTotalBytes, long objectCount, int pendingLookups, long prefetchJobs,
                    double[] latencyCdf, double latencySumSeconds) {
    }
}
