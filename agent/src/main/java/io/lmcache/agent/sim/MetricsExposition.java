package io.lmcache.agent.sim;

/**
 * Renders a snapshot as LMCache's Prometheus exposition, the way Python's {@code prometheus_client} writes it
 * (text format 0.0.4): metric names with colons, counters as {@code <name>_total} families each followed by a separate
 * {@code <name>_created} gauge family, gauges, and one histogram with {@code _bucket{le=...}}, {@code _count},
 * {@code _sum}. Every sample carries {@code model_name} and {@code worker_id} labels.
 */
final class MetricsExposition {
    private final String labels;
    private final double createdEpochSeconds;

    MetricsExposition(String modelName, int workerId, double createdEpochSeconds) {
        this.labels = "model_name=\"" + escape(modelName) + "\",worker_id=\"" + workerId + "\"";
        this.createdEpochSeconds = createdEpochSeconds;
    }

    String render(SimulatedEngine.Snapshot s, long servedHttpRequests) {
        StringBuilder b = new StringBuilder(6 * 1024);
        counter(b, "lmcache:num_retrieve_requests", "Total number of retrieve requests sent to lmcache",
                s.retrieveRequests());
        counter(b, "lmcache:num_store_requests", "Total number of store requests sent to lmcache", s.storeRequests());
        counter(b, "lmcache:num_lookup_requests", "Total number of lookup requests sent to lmcache",
                s.lookupRequests());
        counter(b, "lmcache:num_requested_tokens", "Total number of tokens requested from lmcache",
                s.requestedTokens());
        counter(b, "lmcache:num_hit_tokens", "Total number of tokens hit in lmcache", s.hitTokens());
        counter(b, "lmcache:num_stored_tokens", "Total number of tokens stored in lmcache", s.storedTokens());
        counter(b, "lmcache:num_http_requests", "HTTP requests served by this MP server", servedHttpRequests);
        gauge(b, "lmcache:retrieve_hit_rate", "Hit rate of lmcache retrieve requests since last log", s.hitRate());
        gauge(b, "lmcache:local_cache_usage", "Local cache usage (bytes) of lmcache", s.memoryUsedBytes());
        gauge(b, "lmcache:local_cache_capacity", "Local cache capacity (bytes) of lmcache", s.memoryTotalBytes());
        gauge(b, "lmcache:local_storage_usage", "Number of objects in the local cache", s.objectCount());
        gauge(b, "lmcache:pending_lookups", "Lookups waiting for an answer", s.pendingLookups());
        histogram(b, "lmcache:time_to_retrieve", "Time to retrieve from lmcache (seconds)", s);
        return b.toString();
    }

    private void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append("_total ").append(help).append('\n');
        b.append("# TYPE ").append(name).append("_total counter\n");
        b.append(name).append("_total{").append(labels).append("} ").append(number(value)).append('\n');
        created(b, name, help);
    }

    private void created(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append("_created ").append(help).append('\n');
        b.append("# TYPE ").append(name).append("_created gauge\n");
        b.append(name).append("_created{").append(labels).append("} ").append(number(createdEpochSeconds)).append('\n');
    }

    private void gauge(StringBuilder b, String name, String help, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
    }

    private void histogram(StringBuilder b, String name, String help, SimulatedEngine.Snapshot s) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" histogram\n");
        long count = s.retrieveRequests();
        double[] bounds = SimulatedEngine.LATENCY_BUCKETS_SECONDS;
        long previous = 0;
        for (int i = 0; i < bounds.length; i++) {
            long cumulative = Math.max(previous, (long) Math.floor(count * s.latencyCdf()[i]));
            previous = cumulative;
            b.append(name).append("_bucket{").append(labels).append(",le=\"").append(number(bounds[i])).append("\"} ")
                    .append(number(cumulative)).append('\n');
        }
        b.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(number(count)).append('\n');
        b.append(name).append("_count{").append(labels).append("} ").append(number(count)).append('\n');
        b.append(name).append("_sum{").append(labels).append("} ").append(number(s.latencySumSeconds())).append('\n');
        created(b, name, help);
    }

    /**
     * {@code prometheus_client}'s {@code floatToGoString}: Python's {@code repr} of the float ({@code 3.0},
     * {@code 0.25}), except that values with more than six integer digits use Go's exponent form
     * ({@code 1234567.0} is written {@code 1.234567e+06}).
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String s = pythonRepr(v);
        int dot = s.indexOf('.');
        if (v > 0 && dot > 6 && s.indexOf('e') < 0) {
            String mantissa = stripTrailing(s.charAt(0) + "." + s.substring(1, dot) + s.substring(dot + 1));
            return mantissa + "e+0" + (dot - 1);
        }
        return s;
    }

    /** Python's shortest round-trip {@code repr} for finite doubles. */
    static String pythonRepr(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        if (a >= 1e-4 && a < 1e16) {
            String plain = new java.math.BigDecimal(Double.toString(v)).toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        String[] parts = Double.toString(v).split("E");
        String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
        int exp = Integer.parseInt(parts[1]);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Python's {@code rstrip('0.')}. */
    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '0' || s.charAt(end - 1) == '.')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
