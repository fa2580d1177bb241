package io.lmcache.gateway.metrics;

import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.Responses;
import io.lmcache.gateway.GatewayServices;
import io.lmcache.gateway.http.GatewayHops;
import io.lmcache.gateway.nodes.Route;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: scrapes every leaf ({@code NodeDirectory.leafRoutes()}), merges, and streams the answer.
 *
 * <ul>
 *   <li>Always 200 with {@code text/plain; version=0.0.4; charset=utf-8}, even when every node is down or there are no
 *       nodes (then only the gateway's own families). A node that is down, slow, too large or unparsable is
 *       {@code lmcache_gateway_scrape_up{node} 0} and its reason is logged (at most once a minute per node at WARN).</li>
 *   <li>Per-node deadline: {@code --metrics-timeout}, shortened to Prometheus' {@code X-Prometheus-Scrape-Timeout-Seconds}
 *       minus a margin (a tenth of it, at most 500 ms) so that the answer arrives before Prometheus gives up. The whole
 *       fan-out shares that deadline; at most {@code metricsConcurrency} nodes are scraped at once.</li>
 *   <li>{@code ?format=concat}: the original's form, {@code # Metrics from node: name (host:port)} then the raw body
 *       and a blank line per node, {@code # ERROR: Failed to get metrics from name: reason} for a failed one, 404
 *       {@code # No nodes available for metrics collection} when there are no leaves. Any other format is a 400.</li>
 * </ul>
 * Nothing here runs long on an event loop: the handler only starts the fan-out; parsing, merging and writing happen
 * on the metrics workers.
 */
final class MetricsEndpoint {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    static final long MAX_TIMEOUT_MARGIN_MILLIS = 500;
    static final long MIN_BUDGET_MILLIS = 50;
    static final long WARNING_INTERVAL_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final GatewayServices services;
    private final MetricsLimits limits;
    private final Executor workers;
    private final MetricsScraper scraper;
    private final WarningLimiter warnings =
            new WarningLimiter(log, WARNING_INTERVAL_SECONDS, TimeUnit.SECONDS, System::nanoTime);

    MetricsEndpoint(GatewayServices services, MetricsLimits limits, Executor workers) {
        this.services = services;
        this.limits = limits;
        this.workers = workers;
        this.scraper = new MetricsScraper(services.fetcher(), workers, limits);
    }

    void handle(Exchange ex) {
        String format = ex.queryParam("format");
        boolean concat = "concat".equals(format);
        if (format != null && !concat && !"prometheus".equals(format)) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "format must be 'prometheus' (the default) or 'concat'");
            return;
        }
        String contentType = concat ? Responses.TEXT : CONTENT_TYPE;
        if (HttpMethod.HEAD.equals(ex.request().method())) {
            ex.respond(Responses.bytes(HttpResponseStatus.OK, contentType, new byte[0]));
            return;
        }
        int hops;
        try {
            hops = GatewayHops.parse(ex.request().headers().get(GatewayHops.HEADER));
        } catch (IllegalArgumentException e) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        // A scrape that already passed --max-hops gateways is part of a loop: answer with our own families only.
        List<Route> routes = hops >= services.config().maxHops() ? List.of() : services.nodes().leafRoutes();
        if (routes.isEmpty() && hops > 0) {
            log.debug("GET /metrics after {} gateway hops: nodes not scraped", hops);
        }
        if (concat && routes.isEmpty()) {
            ex.respond(Responses.text(HttpResponseStatus.NOT_FOUND, "# No nodes available for metrics collection\n"));
            return;
        }
        Duration budget = budget(services.config().metricsTimeout(), ex.request().headers().get(SCRAPE_TIMEOUT_HEADER));
        long deadlineNanos = System.nanoTime() + budget.toNanos();
        // Even starting connections (which may resolve names) happens off the event loop.
        CompletableFuture.supplyAsync(() -> scraper.scrapeAll(routes, services.config().metricsConcurrency(), budget,
                        deadlineNanos, !concat, hops + 1), workers)
                .thenCompose(f -> f)
                .thenAcceptAsync(results -> {
                    logFailures(results);
                    if (concat) {
                        stream(ex, contentType, out -> renderConcat(results, out));
                    } else {
                        List<MergedFamily> merged = merge(results);
                        stream(ex, contentType, out -> MetricsMerger.render(merged, out));
                    }
                }, workers)
                .exceptionally(t -> {
                    log.warn("GET /metrics failed", t);
                    ex.detail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics merge failed");
                    return null;
                });
    }

    /** The per-node and overall time budget: the configured timeout, shortened by Prometheus' own deadline. */
    static Duration budget(Duration configured, String scrapeTimeoutHeader) {
        if (scrapeTimeoutHeader == null) {
            return configured;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(scrapeTimeoutHeader.trim());
        } catch (NumberFormatException e) {
            return configured;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            return configured;
        }
        long headerMillis = (long) (seconds * 1000);
        long margin = Math.min(MAX_TIMEOUT_MARGIN_MILLIS, headerMillis / 10);
        long millis = Math.max(MIN_BUDGET_MILLIS, headerMillis - margin);
        return millis < configured.toMillis() ? Duration.ofMillis(millis) : configured;
    }

    private List<MergedFamily> merge(List<NodeScrape> results) {
        List<Exposition> sources = new ArrayList<>(results.size() + 2);
        for (NodeScrape r : results) {
            if (r.exposition() != null) {
                sources.add(r.exposition());
            }
        }
        sources.add(ScrapeStats.of(results));
        Exposition own = ownFamilies();
        if (own != null) {
            sources.add(own);
        }
        List<MergedFamily> merged = MetricsMerger.merge(sources);
        for (MergedFamily f : merged) {
            if (f.typeConflict()) {
                warnings.warn("type:" + f.name(), "metric family " + f.name()
                        + " has different types on different nodes; emitted as untyped");
            }
        }
        return merged;
    }

    private Exposition ownFamilies() {
        try {
            StringWriter w = new StringWriter(16 * 1024);
            TextFormat.write004(w, services.registry().metricFamilySamples());
            return ExpositionParser.parse(w.toString(), TextFormat.CONTENT_TYPE_004, null, Integer.MAX_VALUE);
        } catch (IOException | InvalidExpositionException | RuntimeException e) {
            log.warn("the gateway's own metrics could not be rendered", e);
            return null;
        }
    }

    private void logFailures(List<NodeScrape> results) {
        for (NodeScrape r : results) {
            String key = "node:" + r.route().nodeName();
            if (r.up()) {
                warnings.reset(key);
            } else {
                warnings.warn(key, "metrics of node " + r.route().nodeName() + " (" + r.route().target().host() + ":"
                        + r.route().target().port() + r.route().pathPrefix() + ") not scraped: " + r.error());
            }
        }
    }

    static void renderConcat(List<NodeScrape> results, TextSink out) {
        for (NodeScrape r : results) {
            if (r.up()) {
                out.append("# Metrics from node: " + r.route().nodeName() + " (" + r.route().target().host() + ":"
                        + r.route().target().port() + ")\n");
                out.append(r.rawBody());
                out.append("\n\n");
            } else {
                out.append("# ERROR: Failed to get metrics from " + r.route().nodeName() + ": " + r.error() + "\n");
            }
        }
    }

    private void stream(Exchange ex, String contentType, Consumer<TextSink> body) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        ex.startStream(head);
        ChunkedResponseWriter writer = new ChunkedResponseWriter(ex.ctx(), limits.chunkBytes(), limits.writeStallMillis());
        try {
            body.accept(writer);
        } catch (RuntimeException e) {
            // The status is already sent: closing is the only honest way to say the body is incomplete.
            log.warn("GET /metrics failed while streaming", e);
            writer.finish();
            ex.ctx().channel().close();
            ex.finish(ex.ctx().newFailedFuture(e));
            return;
        }
        ex.finish(writer.finish());
    }
}
