package io.lmcache.gateway.testing;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.NodeTree;
import io.lmcache.gateway.nodes.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A node directory holding exactly the routes a test puts in it. */
public final class FakeNodeDirectory implements NodeDirectory {
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    /** Registers a direct node. */
    public FakeNodeDirectory node(String name, String host, String port) {
        return route(new Route(name, new HttpTarget(host, port), ""));
    }

    public FakeNodeDirectory route(Route route) {
        routes.put(route.nodeName(), route);
        return this;
    }

    @Override
    public NodeTree tree() {
        return NodeTree.EMPTY;
    }

    @Override
    public Optional<Route> route(String nodeName) {
        return Optional.ofNullable(routes.get(nodeName));
    }

    @Override
    public boolean isRegisteredTarget(String host, String port) {
        return routes.values().stream().anyMatch(r -> r.target().host().equals(host) && r.target().port().equals(port));
    }

    @Override
    public List<Route> leafRoutes() {
        return new ArrayList<>(routes.values());
    }
}
