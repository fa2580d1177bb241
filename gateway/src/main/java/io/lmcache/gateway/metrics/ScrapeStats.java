package io.lmcache.gateway.metrics;

import java.util.List;

/** The per-node scrape families the gateway adds to every merged answer. */
final class ScrapeStats {
    static final String UP = "lmcache_gateway_scrape_up";
    static final String DURATION = "lmcache_gateway_scrape_duration_seconds";
    static final String SAMPLES = "lmcache_gateway_scrape_samples";

    private ScrapeStats() {
    }

    static Exposition of(List<NodeScrape> results) {
        Exposition stats = new Exposition();
        FamilyPart up = family(stats, UP, "1 if the node's metrics were scraped and parsed, 0 if not (the reason is logged).");
        FamilyPart duration = family(stats, DURATION, "Time taken to scrape and parse the node's metrics.");
        FamilyPart samples = family(stats, SAMPLES, "Samples taken from the node's metrics (0 when it is down).");
        for (NodeScrape r : results) {
            String node = ExpositionParser.escapeLabelValue(r.route().nodeName());
            add(stats, up, node, r.up() ? "1" : "0");
            add(stats, duration, node, Double.toString(r.durationNanos() / 1e9));
            add(stats, samples, node, Integer.toString(r.samples()));
        }
        return stats;
    }

    private static FamilyPart family(Exposition stats, String name, String help) {
        FamilyPart part = stats.family(name, MetricType.GAUGE, name);
        part.help(help);
        return part;
    }

    private static void add(Exposition stats, FamilyPart part, String escapedNode, String value) {
        part.lines().append(part.name()).append("{node=\"").append(escapedNode).append("\"} ").append(value).append('\n');
        stats.sampleAdded(part);
    }
}
