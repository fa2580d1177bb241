package io.lmcache.gateway.nodes;

import java.util.List;

/** Outcome of {@link NodeDirectory#refreshProxy}: the proxy's children now, or why they did not change. */
public record ProxyRefresh(boolean found, List<Leaf> nodes, String error) {
    public ProxyRefresh {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public static ProxyRefresh notFound() {
        return new ProxyRefresh(false, List.of(), "Proxy not found");
    }

    public static ProxyRefresh succeeded(List<Leaf> nodes) {
        return new ProxyRefresh(true, nodes, null);
    }

    public static ProxyRefresh failed(String error) {
        return new ProxyRefresh(true, List.of(), error);
    }

    public boolean ok() {
        return found && error == null;
    }
}
