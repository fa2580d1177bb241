package io.lmcache.gateway.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parse-and-merge step of {@code /metrics} without the network: for tools and benchmarks. Behaves exactly as the
 * endpoint does for the node part of its answer (see {@link ExpositionParser} and {@link MetricsMerger}).
 */
public final class PrometheusMerge {
    /** One node's metrics response: its name (the {@code node} label), Content-Type (may be null) and body bytes. */
    public record NodeBody(String node, String contentType, byte[] body) {
    }

    /** What a merge produced. */
    public record Outcome(int families, int samples, List<String> invalidNodes) {
    }

    private PrometheusMerge() {
    }

    /**
     * Decodes and parses every body, merges them and hands the 0.0.4 text to {@code out} in pieces. A body that cannot
     * be parsed (or has more than {@code maxSamplesPerNode} samples) is left out and named in the outcome.
     */
    public static Outcome merge(List<NodeBody> bodies, int maxSamplesPerNode, Consumer<CharSequence> out) {
        List<Exposition> sources = new ArrayList<>(bodies.size());
        List<String> invalid = new ArrayList<>();
        int samples = 0;
        for (NodeBody b : bodies) {
            try {
                Exposition e = ExpositionParser.parse(new String(b.body(), StandardCharsets.UTF_8), b.contentType(),
                        b.node(), maxSamplesPerNode);
                sources.add(e);
                samples += e.samples();
            } catch (InvalidExpositionException e) {
                invalid.add(b.node());
            }
        }
        List<MergedFamily> merged = MetricsMerger.merge(sources);
        MetricsMerger.render(merged, out::accept);
        return new Outcome(merged.size(), samples, List.copyOf(invalid));
    }
}
