package io.lmcache.benchmarks.metrics;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic LMCache MP-server metrics as Python's {@code prometheus_client} writes them in text 0.0.4: names with
 * colons, {@code model_name} and {@code worker_id} labels, counters as {@code _total} families each followed by a
 * {@code _created} gauge family, gauges, and histograms with {@code _bucket}/{@code _count}/{@code _sum} plus
 * {@code _created}. Each worker contributes exactly {@value #SAMPLES_PER_WORKER} samples.
 */
final class LmcacheMetricsText {
    static final int SAMPLES_PER_WORKER = 80;

    private static final String[] COUNTERS = {"num_retrieve_requests", "num_store_requests", "num_lookup_requests",
            "num_requested_tokens", "num_hit_tokens", "num_stored_tokens", "num_http_requests"};
    private static final String[] GAUGES = {"retrieve_hit_rate", "local_cache_usage", "local_cache_capacity",
            "local_storage_usage", "pending_lookup_count", "active_memory_objs_count"};
    private static final String[] HISTOGRAMS = {"time_to_retrieve", "time_to_store", "retrieve_speed"};
    /** 16 finite buckets: with +Inf, _count, _sum and _created a histogram is 20 samples per worker. */
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0};

    private LmcacheMetricsText() {
    }

    /** A node's body with {@code samples} samples ({@code samples} must be a multiple of {@value #SAMPLES_PER_WORKER}). */
    static String node(int samples, long seed) {
        if (samples % SAMPLES_PER_WORKER != 0) {
            throw new IllegalArgumentException("samples must be a multiple of " + SAMPLES_PER_WORKER);
        }
        int workers = samples / SAMPLES_PER_WORKER;
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(samples * 110);
        double created = 1.7321e9 + rnd.nextInt(1000);
        for (String c : COUNTERS) {
            String name = "lmcache:" + c;
            family(b, name + "_total", "Total number of " + c.replace('_', ' ') + " in lmcache", "counter");
            for (int w = 0; w < workers; w++) {
                sample(b, name + "_total", w, null, (double) rnd.nextInt(10_000_000));
            }
            family(b, name + "_created", "Total number of " + c.replace('_', ' ') + " in lmcache", "gauge");
            for (int w = 0; w < workers; w++) {
                sample(b, name + "_created", w, null, created);
            }
        }
        for (String g : GAUGES) {
            String name = "lmcache:" + g;
            family(b, name, "The " + g.replace('_', ' ') + " of lmcache", "gauge");
            for (int w = 0; w < workers; w++) {
                sample(b, name, w, null, rnd.nextDouble() * 1e10);
            }
        }
        for (String h : HISTOGRAMS) {
            String name = "lmcache:" + h;
            family(b, name, "Distribution of " + h.replace('_', ' ') + " (seconds)", "histogram");
            for (int w = 0; w < workers; w++) {
                long cumulative = 0;
                for (double le : BUCKETS) {
                    cumulative += rnd.nextInt(1000);
                    sample(b, name + "_bucket", w, python(le), (double) cumulative);
                }
                sample(b, name + "_bucket", w, "+Inf", (double) cumulative);
                sample(b, name + "_count", w, null, (double) cumulative);
                sample(b, name + "_sum", w, null, cumulative * 0.0123);
            }
            family(b, name + "_created", "Distribution of " + h.replace('_', ' ') + " (seconds)", "gauge");
            for (int w = 0; w < workers; w++) {
                sample(b, name + "_created", w, null, created);
            }
        }
        return b.toString();
    }

    private static void family(StringBuilder b, String name, String help, String type) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, int worker, String le, double value) {
        b.append(name).append('{');
        if (le != null) {
            b.append("le=\"").append(le).append("\",");
        }
        b.append("model_name=\"meta-llama/Llama-3.1-8B-Instruct\",worker_id=\"").append(worker).append("\"} ")
                .append(python(value)).append('\n');
    }

    /** Python's repr of a float: {@code 3.0}, {@code 1e-05}, {@code 12345.678}. */
    private static String python(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return Double.toString(v).replace("E", "e");
    }
}
