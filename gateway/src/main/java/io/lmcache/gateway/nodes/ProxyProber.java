package io.lmcache.gateway.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an address for its {@code /api/nodes} (reference §1.5 step 4) and caches the answer per address in Caffeine
 * with {@code refreshAfterWrite}, so a supplier refresh reuses recent answers and re-probes in the background.
 *
 * <ul>
 *   <li>2xx with a node tree ({@code {"nodes": [...]}}, even an empty one): a cascading gateway; its leaves
 *       (children of nodes that have children, childless nodes themselves) become the entry's children. A gateway
 *       whose tree is still empty is still a gateway, never an MP leaf: listing it as a leaf would make two gateways
 *       that read the same discovery route (and scrape) each other.</li>
 *   <li>any other answer (404 from an MP server, not JSON): not a gateway, so the address is its own
 *       single leaf.</li>
 *   <li>no answer (refused, timeout): an address seen for the first time is its own single leaf; one already known
 *       keeps its last answer, so a child gateway that blips does not lose its leaves.</li>
 * </ul>
 */
final class ProxyProber {
    private static final Logger log = LoggerFactory.getLogger(ProxyProber.class);
    /** Bound on a child gateway's /api/nodes answer. */
    static final int MAX_TREE_BYTES = 8 * 1024 * 1024;
    /** Concurrent probes during one refresh. */
    static final int MAX_CONCURRENT_PROBES = 16;

    /** What an address answered: a gateway (with its leaves, maybe none) or not. {@code error} if no answer. */
    record Probe(List<FleetLeaf> leaves, boolean gateway, String error, int status) {
        boolean isGateway() {
            return gateway;
        }

        boolean answered() {
            return error == null;
        }
    }

    private final HttpFetcher fetcher;
    private final Duration timeout;
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(MAX_CONCURRENT_PROBES);
    private final AsyncLoadingCache<HttpTarget, Probe> cache;

    ProxyProber(HttpFetcher fetcher, Duration timeout, Duration refreshInterval, Ticker ticker, Executor executor) {
        this.fetcher = fetcher;
        this.timeout = timeout;
        // Addresses not asked for in many refreshes have left the fleet: forget them.
        Duration forgetAfter = refreshInterval.multipliedBy(10).compareTo(Duration.ofMinutes(5)) > 0
                ? refreshInterval.multipliedBy(10) : Duration.ofMinutes(5);
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(executor)
                .refreshAfterWrite(refreshInterval)
                .expireAfterAccess(forgetAfter)
                .buildAsync(new AsyncCacheLoader<HttpTarget, Probe>() {
                    @Override
                    public CompletableFuture<Probe> asyncLoad(HttpTarget key, Executor ex) {
                        return probeNow(key);
                    }

                    @Override
                    public CompletableFuture<Probe> asyncReload(HttpTarget key, Probe old, Executor ex) {
                        return probeNow(key).thenApply(p -> p.answered() ? p : old);
                    }
                });
    }

    /** The cached (or first) answer of {@code target}; never fails. */
    CompletableFuture<Probe> probe(HttpTarget target) {
        return cache.get(target);
    }

    /** Asks {@code target} now, bypassing and then updating the cache when it answered. Never fails. */
    CompletableFuture<Probe> probeFresh(HttpTarget target) {
        return probeNow(target).thenApply(p -> {
            if (p.answered()) {
                cache.put(target, CompletableFuture.completedFuture(p));
            }
            return p;
        });
    }

    private CompletableFuture<Probe> probeNow(HttpTarget target) {
        return limiter.submit(() -> fetcher.get(target, "/api/nodes", timeout, MAX_TREE_BYTES))
                .handle((r, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause() : e;
                        log.debug("probe of {}/api/nodes failed: {}", target, cause.toString());
                        return new Probe(List.of(), false, describe(cause), 0);
                    }
                    List<FleetLeaf> leaves = leavesOf(target, r);
                    return new Probe(leaves == null ? List.of() : leaves, leaves != null, null, r.status());
                });
    }

    static String describe(Throwable cause) {
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Leaves of a gateway's /api/nodes answer (possibly none), or null when the answer is not such a tree. */
    static List<FleetLeaf> leavesOf(HttpTarget target, FetchResult r) {
        if (!r.isSuccess()) {
            return null;
        }
        JsonNode nodes;
        try {
            nodes = Json.MAPPER.readTree(r.body()).get("nodes");
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        if (nodes == null || !nodes.isArray()) {
            return null;
        }
        List<FleetLeaf> leaves = new ArrayList<>();
        for (JsonNode node : nodes) {
            JsonNode children = node.get("children");
            if (children != null && children.isArray() && !children.isEmpty()) {
                leaves.addAll(NodeEntries.leaves(children, target + " /api/nodes child", log::warn));
            } else {
                try {
                    leaves.add(NodeEntries.leaf(node));
                } catch (IllegalArgumentException e) {
                    log.warn("{} /api/nodes entry skipped: {}: {}", target, e.getMessage(), NodeEntries.abbreviate(node));
                }
            }
        }
        return leaves;
    }
}
