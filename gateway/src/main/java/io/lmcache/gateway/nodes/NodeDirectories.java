package io.lmcache.gateway.nodes;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.gateway.SelfAddress;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Builds the directory for the configured node source, with the reference's precedence: supplier or coordinator URL,
 * then {@code --nodes}, then {@code --config}, else the embedded discovery registry.
 *
 * <ul>
 *   <li>Fetches (supplier list, coordinator instances, per-address {@code /api/nodes} probes) use
 *       {@code --connect-timeout} for connecting and between response bytes; one whole load is bounded by
 *       {@code --response-timeout}.</li>
 *   <li>The tree refreshes every {@code --refresh-interval} on read; the embedded registry, read in-process, at
 *       least every {@link #EMBEDDED_REFRESH_MILLIS} ms, so a node that just sent its first heartbeat shows up
 *       quickly (the per-address probes still follow {@code --refresh-interval}).</li>
 * </ul>
 */
public final class NodeDirectories {
    /** Upper bound of the embedded registry's refresh interval. */
    public static final long EMBEDDED_REFRESH_MILLIS = 2_000;

    private NodeDirectories() {
    }

    /** @param embedded the in-process discovery registry when {@link GatewayConfig#embeddedDiscovery()}, else null */
    public static NodeDirectory create(GatewayConfig config, HttpFetcher fetcher, DiscoveryRegistry embedded,
                                       GatewayMetrics metrics) {
        return create(config, fetcher, embedded, metrics, new SelfAddress(config.host(), config.port()));
    }

    /**
     * As above, with the gateway's own address (its port known once bound): {@code local_proxy} carries it and
     * discovery entries naming this gateway are left out. {@link NodeDirectory#start()} must be called once the
     * port is bound. Throws {@link IllegalArgumentException} when {@code --nodes} or {@code --config} is unusable
     * as a whole (not a JSON array, unreadable file).
     */
    public static NodeDirectory create(GatewayConfig config, HttpFetcher fetcher, DiscoveryRegistry embedded,
                                       GatewayMetrics metrics, SelfAddress self) {
        return create(config, fetcher, embedded, metrics, self, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * Checks that a static source ({@code --nodes}, {@code --config}) is usable as a whole, so the command line can
     * refuse it (exit 2) before binding anything. Single malformed entries are not errors (they are skipped later).
     */
    public static void checkStaticSource(GatewayConfig config) {
        switch (config.nodeSource()) {
            case NODES -> StaticSource.ofNodesJson(config.nodesJson(), config.host(), () -> 0);
            case CONFIG_FILE -> StaticSource.ofConfigFile(config.configFile());
            default -> {
            }
        }
    }

    /** For tests: a fake {@code ticker} drives refreshes and ages; {@code executor} runs refresh work. */
    static NodeDirectory create(GatewayConfig config, HttpFetcher fetcher, DiscoveryRegistry embedded,
                                GatewayMetrics metrics, SelfAddress self, Ticker ticker, Executor executor) {
        Duration fetchTimeout = config.connectTimeout();
        ProxyProber prober = new ProxyProber(fetcher, fetchTimeout, config.refreshInterval(), ticker, executor);
        ProbedAddresses probed = new ProbedAddresses(prober, self::isSelf);
        Duration refresh = config.refreshInterval();
        NodeSource source = switch (config.nodeSource()) {
            case SUPPLIER -> new SupplierSource(config.nodeSupplierUrl(), fetcher, fetchTimeout, probed);
            case COORDINATOR -> new CoordinatorSource(config.coordinatorUrl(), fetcher, fetchTimeout);
            case NODES -> StaticSource.ofNodesJson(config.nodesJson(), config.host(), self::port);
            case CONFIG_FILE -> StaticSource.ofConfigFile(config.configFile());
            case EMBEDDED -> {
                if (embedded == null) {
                    throw new IllegalArgumentException("no node source given and no embedded discovery registry");
                }
                Duration cap = Duration.ofMillis(EMBEDDED_REFRESH_MILLIS);
                refresh = refresh.compareTo(cap) > 0 ? cap : refresh;
                yield new EmbeddedSource(embedded, probed);
            }
        };
        Duration deadline = config.responseTimeout().compareTo(fetchTimeout.multipliedBy(2)) > 0
                ? config.responseTimeout() : fetchTimeout.multipliedBy(2);
        return new CachedNodeDirectory(source, prober, metrics, refresh, deadline, ticker,
                System::currentTimeMillis, executor);
    }
}
