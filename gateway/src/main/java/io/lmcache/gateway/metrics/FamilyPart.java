package io.lmcache.gateway.metrics;

/**
 * The samples one source (a node, or the gateway itself) contributes to one output family, already rendered as 0.0.4
 * sample lines (with the {@code node} label added) in the order the source wrote them.
 */
final class FamilyPart {
    private final String name;
    private final MetricType type;
    /** The name whose {@code # HELP} applies (the declared family, which may differ from {@link #name}). */
    private final String metadataName;
    private final StringBuilder lines = new StringBuilder(256);
    private String help;
    private int samples;

    FamilyPart(String name, MetricType type, String metadataName) {
        this.name = name;
        this.type = type;
        this.metadataName = metadataName;
    }

    String name() {
        return name;
    }

    MetricType type() {
        return type;
    }

    String metadataName() {
        return metadataName;
    }

    /** Unescaped HELP text, or null when the source gave none. */
    String help() {
        return help;
    }

    void help(String unescapedHelp) {
        this.help = unescapedHelp;
    }

    StringBuilder lines() {
        return lines;
    }

    int samples() {
        return samples;
    }

    void sampleAdded() {
        samples++;
    }
}
