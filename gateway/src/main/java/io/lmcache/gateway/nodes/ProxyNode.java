package io.lmcache.gateway.nodes;

import java.util.List;

/**
 * A top-level entry of the node tree (reference §1.2): a cascaded gateway whose {@code nodes} are its leaves
 * ({@code cascade == true}), or an MP server listed as its own single leaf, or {@code local_proxy} wrapping
 * {@code --nodes}.
 */
public record ProxyNode(String name, String host, String port, boolean cascade, List<Leaf> nodes) {
    public ProxyNode {
        nodes = List.copyOf(nodes);
    }
}
