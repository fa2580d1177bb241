package io.lmcache.gateway.metrics;

import io.lmcache.gateway.nodes.Route;

/**
 * The outcome of scraping one node: its parsed exposition (null when it is down, with {@code error} saying why), the
 * wall time it took, and, for the concatenated format, the raw body.
 */
record NodeScrape(Route route, Exposition exposition, String error, long durationNanos, String rawBody) {
    boolean up() {
        return error == null;
    }

    int samples() {
        return exposition == null ? 0 : exposition.samples();
    }
}
