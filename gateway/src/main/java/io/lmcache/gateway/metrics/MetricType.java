package io.lmcache.gateway.metrics;

/**
 * The family types of the Prometheus text format 0.0.4, which is what the merged {@code /metrics} speaks. OpenMetrics
 * types are mapped onto these by {@link ExpositionParser} the way the Python {@code prometheus_client} (which LMCache
 * uses) maps them when it writes 0.0.4.
 */
enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    SUMMARY("summary"),
    UNTYPED("untyped");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    /** The word after {@code # TYPE <name>} in 0.0.4. */
    String text() {
        return text;
    }
}
