package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpFetcher;
import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.metrics.GatewayMetrics;
import java.util.List;
import java.util.Optional;

/** CONTRACT STUB (the node-tree work implements it): builds the directory for the configured node source. */
public final class NodeDirectories {
    private NodeDirectories() {
    }

    /** @param embedded the in-process discovery registry when {@link GatewayConfig#embeddedDiscovery()}, else null */
    public static NodeDirectory create(GatewayConfig config, HttpFetcher fetcher, DiscoveryRegistry embedded,
                                       GatewayMetrics metrics) {
        return new NodeDirectory() {
            @Override
            public NodeTree tree() {
                return NodeTree.EMPTY;
            }

            @Override
            public Optional<Route> route(String nodeName) {
                return Optional.empty();
            }

            @Override
            public boolean isRegisteredTarget(String host, String port) {
                return false;
            }

            @Override
            public List<Route> leafRoutes() {
                return List.of();
            }
        };
    }
}
