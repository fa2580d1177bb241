package io.lmcache.gateway.nodes;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node directory: one Caffeine entry per source holding the current {@link TreeSnapshot}, with
 * {@code refreshAfterWrite}. Every read answers at once from the last snapshot and, when it is older than the refresh
 * interval, triggers one background refresh (Caffeine runs at most one per entry).
 *
 * <p>Failures keep the last good tree: a refresh that fails (source unreachable, bad answer, deadline) stores the
 * previous tree with {@link NodeTree#lastError()} set, logs a warning and counts
 * {@link GatewayMetrics#nodeRefreshFailed()}; its age keeps growing. A source that answers successfully with an empty
 * fleet replaces the tree (nodes really left; the reference could not tell this from a failure, §11.9). A static
 * source is loaded once and never refreshed.
 */
final class CachedNodeDirectory implements NodeDirectory {
    private static final Logger log = LoggerFactory.getLogger(CachedNodeDirectory.class);
    private static final String KEY = "fleet";

    private final NodeSource source;
    private final ProxyProber prober;
    private final GatewayMetrics metrics;
    private final Ticker ticker;
    private final LongSupplier wallMillis;
    private final Executor executor;
    private final Duration loadDeadline;
    private final AsyncLoadingCache<String, TreeSnapshot> cache; // null for a static source
    private final AtomicReference<TreeSnapshot> latest = new AtomicReference<>(TreeSnapshot.EMPTY);
    private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
    private volatile boolean started;

    CachedNodeDirectory(NodeSource source, ProxyProber prober, GatewayMetrics metrics, Duration refreshInterval,
                        Duration loadDeadline, Ticker ticker, LongSupplier wallMillis, Executor executor) {
        this.source = source;
        this.prober = prober;
        this.metrics = metrics;
        this.ticker = ticker;
        this.wallMillis = wallMillis;
        this.executor = executor;
        this.loadDeadline = loadDeadline;
        this.cache = !source.dynamic() ? null : Caffeine.newBuilder()
                .ticker(ticker)
                .executor(executor)
                .refreshAfterWrite(refreshInterval)
                .buildAsync(new AsyncCacheLoader<String, TreeSnapshot>() {
                    @Override
                    public CompletableFuture<TreeSnapshot> asyncLoad(String key, Executor ex) {
                        return loadReplacing(latest.get());
                    }

                    @Override
                    public CompletableFuture<TreeSnapshot> asyncReload(String key, TreeSnapshot old, Executor ex) {
                        return loadReplacing(old);
                    }
                });
        metrics.treeAgeSeconds(() -> {
            Double age = ageSeconds();
            return age == null ? Double.NaN : age;
        });
    }

    @Override
    public void start() {
        if (started) {
            return;
        }
        started = true;
        // The first load is stored with put(), so its write time (the start of the refresh interval) is set before
        // anyone waiting for it is released.
        loadReplacing(TreeSnapshot.EMPTY).thenAccept(first -> {
            if (cache != null) {
                cache.put(KEY, CompletableFuture.completedFuture(first));
            }
            firstLoad.complete(null);
        });
    }

    @Override
    public boolean awaitFirstLoad(Duration max) {
        try {
            firstLoad.get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Loads from the source; on failure, {@code previous} with the error. Completes normally in both cases. */
    private CompletableFuture<TreeSnapshot> loadReplacing(TreeSnapshot previous) {
        CompletableFuture<List<FleetEntry>> load;
        try {
            load = source.load();
        } catch (RuntimeException e) {
            load = CompletableFuture.failedFuture(e);
        }
        return load.orTimeout(loadDeadline.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((entries, error) -> {
                    TreeSnapshot next = error == null ? loaded(previous, entries) : failed(previous, error);
                    latest.set(next);
                    return next;
                }, executor);
    }

    private TreeSnapshot loaded(TreeSnapshot previous, List<FleetEntry> entries) {
        TreeSnapshot next = TreeSnapshot.build(entries, wallMillis.getAsLong(), ticker.read());
        if (previous.tree.lastError() != null) {
            log.info("node list from {} recovered: {} proxies, {} leaves", source.describe(),
                    next.tree.proxies().size(), next.leafCount());
        } else if (!previous.loaded || previous.leafCount() != next.leafCount()
                || previous.tree.proxies().size() != next.tree.proxies().size()) {
            log.info("node list from {}: {} proxies, {} leaves", source.describe(), next.tree.proxies().size(),
                    next.leafCount());
        }
        return next;
    }

    private TreeSnapshot failed(TreeSnapshot previous, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause instanceof java.util.concurrent.TimeoutException && cause.getMessage() == null
                ? "no answer within " + loadDeadline.toMillis() + " ms" : ProxyProber.describe(cause);
        metrics.nodeRefreshFailed();
        if (previous.loaded) {
            log.warn("node refresh from {} failed, keeping the tree loaded {} s ago ({} leaves): {}",
                    source.describe(), Math.round(ageOf(previous)), previous.leafCount(), message);
        } else {
            log.warn("node load from {} failed, no nodes known yet: {}", source.describe(), message);
        }
        return previous.withError(message);
    }

    private TreeSnapshot current() {
        if (cache != null && started) {
            cache.getIfPresent(KEY); // starts the background refresh when the entry is older than the interval
        }
        return latest.get();
    }

    @Override
    public NodeTree tree() {
        return current().tree;
    }

    @Override
    public Optional<Route> route(String nodeName) {
        return Optional.ofNullable(current().routes.get(nodeName));
    }

    @Override
    public boolean isRegisteredTarget(String host, String port) {
        return current().targets.contains(TreeSnapshot.targetKey(host, port));
    }

    @Override
    public List<Route> leafRoutes() {
        return current().leafRoutes;
    }

    @Override
    public Double ageSeconds() {
        TreeSnapshot s = latest.get();
        return s.loaded ? ageOf(s) : null;
    }

    private double ageOf(TreeSnapshot s) {
        return Math.max(0, ticker.read() - s.loadedNanos) / 1e9;
    }

    @Override
    public String sourceDescription() {
        return source.describe();
    }

    @Override
    public String leafState(String leafName) {
        return latest.get().leafStates.get(leafName);
    }

    @Override
    public CompletableFuture<ProxyRefresh> refreshProxy(String proxyName) {
        TreeSnapshot snapshot = latest.get();
        List<ProxyNode> proxies = snapshot.tree.proxies();
        int index = -1;
        for (int i = 0; i < proxies.size(); i++) {
            if (proxies.get(i).name().equals(proxyName)) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return CompletableFuture.completedFuture(ProxyRefresh.notFound());
        }
        ProxyNode proxy = proxies.get(index);
        if (StaticSource.LOCAL_PROXY.equals(proxy.name()) && !source.dynamic()) {
            return CompletableFuture.completedFuture(ProxyRefresh.succeeded(proxy.nodes())); // ourselves
        }
        HttpTarget target;
        try {
            target = new HttpTarget(proxy.host(), proxy.port());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ProxyRefresh.failed(
                    "Proxy " + proxyName + " has no reachable address: " + e.getMessage()));
        }
        int rawIndex = snapshot.rawIndex.get(index);
        return prober.probeFresh(target).thenApplyAsync(probe -> {
            if (!probe.answered()) {
                return ProxyRefresh.failed("Failed to fetch " + proxy.host() + ":" + proxy.port() + "/api/nodes: "
                        + probe.error() + "; its " + proxy.nodes().size() + " children are kept");
            }
            FleetEntry entry = snapshot.raw.get(rawIndex);
            if (!probe.isGateway()) {
                if (entry.isSelfLeaf()) {
                    return ProxyRefresh.succeeded(proxy.nodes()); // an MP server: its own single leaf, unchanged
                }
                return ProxyRefresh.failed(proxy.host() + ":" + proxy.port() + " answered /api/nodes with HTTP "
                        + probe.status() + " and no node tree; its " + proxy.nodes().size() + " children are kept");
            }
            return ProxyRefresh.succeeded(replace(rawIndex, entry.withLeaves(true, probe.leaves()), proxyName));
        }, executor);
    }

    /** Rebuilds the current tree with one entry replaced; returns that proxy's new children. */
    private synchronized List<Leaf> replace(int rawIndex, FleetEntry entry, String proxyName) {
        TreeSnapshot base = latest.get();
        List<FleetEntry> raw = new ArrayList<>(base.raw);
        if (rawIndex < raw.size() && raw.get(rawIndex).host().equals(entry.host())
                && raw.get(rawIndex).port().equals(entry.port())) {
            raw.set(rawIndex, entry);
        }
        TreeSnapshot next = TreeSnapshot.build(raw, base.tree.loadedAtMillis(), base.loadedNanos)
                .withError(base.tree.lastError());
        latest.set(next);
        if (cache != null) {
            cache.put(KEY, CompletableFuture.completedFuture(next));
        }
        for (ProxyNode p : next.tree.proxies()) {
            if (p.name().equals(proxyName)) {
                return p.nodes();
            }
        }
        return entry.leaves().stream().map(l -> new Leaf(l.name(), l.host(), l.port(), proxyName)).toList();
    }
}
