package io.lmcache.gateway.metrics;

import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.gateway.http.GatewayHops;
import io.lmcache.gateway.nodes.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.TooLongHttpContentException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes {@code GET <pathPrefix>/metrics} of many nodes with at most {@code concurrency} requests in flight, each
 * bounded by the per-node timeout and by the scrape's overall deadline (a node whose turn comes after the deadline is
 * reported down without being contacted). Bodies are parsed on {@code executor}, never on the fetcher's event loop.
 * The returned list is in route order and always complete: a failure is a {@link NodeScrape} with an error.
 */
final class MetricsScraper {
    /** Prefer 0.0.4 (what we emit), accept OpenMetrics. */
    static final String ACCEPT = "text/plain;version=0.0.4;q=1.0,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1";

    private static final String TIMED_OUT = "timed out";

    private final HttpFetcher fetcher;
    private final Executor executor;
    private final MetricsLimits limits;

    MetricsScraper(HttpFetcher fetcher, Executor executor, MetricsLimits limits) {
        this.fetcher = fetcher;
        this.executor = executor;
        this.limits = limits;
    }

    /**
     * @param perNodeTimeout longest time one node may take
     * @param deadlineNanos  {@link System#nanoTime()} by which every node must have answered
     * @param parse          false for the concatenated format, which keeps raw bodies instead
     * @param hops           gateway hop count to send, so a scrape loop between gateways ends at --max-hops
     */
    CompletableFuture<List<NodeScrape>> scrapeAll(List<Route> routes, int concurrency, Duration perNodeTimeout,
                                                  long deadlineNanos, boolean parse, int hops) {
        int n = routes.size();
        if (n == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        NodeScrape[] results = new NodeScrape[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(n);
        CompletableFuture<List<NodeScrape>> all = new CompletableFuture<>();
        Runnable startNext = new Runnable() {
            @Override
            public void run() {
                int i = next.getAndIncrement();
                if (i >= n) {
                    return;
                }
                scrapeOne(routes.get(i), perNodeTimeout, deadlineNanos, parse, hops).whenCompleteAsync((r, e) -> {
                    results[i] = r != null ? r : new NodeScrape(routes.get(i), null, reason(e), 0, null);
                    if (remaining.decrementAndGet() == 0) {
                        all.complete(Arrays.asList(results));
                    } else {
                        run(); // this slot is free: the next node's turn (async, so no deep recursion)
                    }
                }, executor);
            }
        };
        for (int k = 0; k < Math.min(Math.max(1, concurrency), n); k++) {
            startNext.run();
        }
        return all;
    }

    private CompletableFuture<NodeScrape> scrapeOne(Route route, Duration perNodeTimeout, long deadlineNanos,
                                                   boolean parse, int hops) {
        long started = System.nanoTime();
        long budgetNanos = Math.min(perNodeTimeout.toNanos(), deadlineNanos - started);
        if (budgetNanos <= 0) {
            return CompletableFuture.completedFuture(
                    new NodeScrape(route, null, "scrape deadline passed before this node's turn", 0, null));
        }
        CompletableFuture<FetchResult> fetch;
        try {
            fetch = fetcher.send(route.target(), HttpMethod.GET, route.pathPrefix() + "/metrics",
                    Map.of(HttpHeaderNames.ACCEPT.toString(), ACCEPT, GatewayHops.HEADER, Integer.toString(hops)),
                    Duration.ofNanos(budgetNanos),
                    limits.maxBodyBytes());
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        // The fetcher bounds connect and each read; this bounds the whole exchange (a slow trickle too).
        return fetch.orTimeout(budgetNanos, TimeUnit.NANOSECONDS)
                .handleAsync((res, err) -> toScrape(route, res, err, started, parse, budgetNanos), executor);
    }

    private NodeScrape toScrape(Route route, FetchResult res, Throwable err, long started, boolean parse,
                                long budgetNanos) {
        if (err != null) {
            String why = reason(err);
            if (why.startsWith(TIMED_OUT)) {
                why = TIMED_OUT + " after " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms";
            }
            return new NodeScrape(route, null, why, System.nanoTime() - started, null);
        }
        if (!res.isSuccess()) {
            return new NodeScrape(route, null, "HTTP status " + res.status(), System.nanoTime() - started, null);
        }
        String body = new String(res.body(), StandardCharsets.UTF_8);
        if (!parse) {
            return new NodeScrape(route, null, null, System.nanoTime() - started, body);
        }
        try {
            Exposition exposition = ExpositionParser.parse(body, res.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    route.nodeName(), limits.maxSamplesPerNode());
            return new NodeScrape(route, exposition, null, System.nanoTime() - started, null);
        } catch (InvalidExpositionException e) {
            return new NodeScrape(route, null, "unparsable metrics: " + e.getMessage(), System.nanoTime() - started,
                    null);
        }
    }

    private String reason(Throwable err) {
        Throwable t = err;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return TIMED_OUT;
        }
        if (t instanceof TooLongHttpContentException) {
            return "metrics body larger than " + limits.maxBodyBytes() + " bytes";
        }
        if (t instanceof ConnectException) {
            return "connection failed: " + t.getMessage();
        }
        return t == null ? "unknown failure" : t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
