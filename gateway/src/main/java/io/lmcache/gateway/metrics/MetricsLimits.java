package io.lmcache.gateway.metrics;

/**
 * Bounds of one {@code /metrics} scrape, per node and for the response stream. A node over a bound is reported as
 * down ({@code lmcache_gateway_scrape_up 0}) instead of being half-read or exhausting the gateway's memory.
 *
 * @param maxBodyBytes          largest metrics body read from one node
 * @param maxSamplesPerNode     most samples kept from one node
 * @param chunkBytes            size of the pooled buffers the response is streamed in
 * @param writeStallMillis      how long a slow client may keep the stream from draining before it is closed
 */
public record MetricsLimits(int maxBodyBytes, int maxSamplesPerNode, int chunkBytes, long writeStallMillis) {
    /** 32 MiB: LMCache nodes expose well under 1 MiB; a body this large is a runaway exporter. */
    public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
    /** 200,000 samples per node: ~100 times what an LMCache MP server exposes. */
    public static final int DEFAULT_MAX_SAMPLES_PER_NODE = 200_000;
    /** 64 KiB chunks: large enough for few writes, small enough for the pooled allocator's fast path. */
    public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
    public static final long DEFAULT_WRITE_STALL_MILLIS = 30_000;

    public static final MetricsLimits DEFAULTS = new MetricsLimits(DEFAULT_MAX_BODY_BYTES,
            DEFAULT_MAX_SAMPLES_PER_NODE, DEFAULT_CHUNK_BYTES, DEFAULT_WRITE_STALL_MILLIS);

    public MetricsLimits {
        if (maxBodyBytes < 1 || maxSamplesPerNode < 1 || chunkBytes < 256 || writeStallMillis < 1) {
            throw new IllegalArgumentException("metrics limits must be positive (chunk at least 256 bytes)");
        }
    }
}
