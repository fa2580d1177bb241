package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One immutable state of the directory: the public {@link NodeTree} plus everything precomputed from it for the
 * hot path (routes by name, leaf routes in tree order, the set of registered targets) and the raw entries it was
 * built from (to rebuild after a single proxy's refresh). Names follow {@link NodeNames}.
 */
final class TreeSnapshot {
    private static final Logger log = LoggerFactory.getLogger(TreeSnapshot.class);

    static final TreeSnapshot EMPTY = new TreeSnapshot(List.of(), List.of(), NodeTree.EMPTY, Map.of(), List.of(),
            Set.of(), Map.of(), 0, false);

    final List<FleetEntry> raw;
    /** For each proxy of {@link #tree}, the index of its entry in {@link #raw}. */
    final List<Integer> rawIndex;
    final NodeTree tree;
    final Map<String, Route> routes;
    final List<Route> leafRoutes;
    final Set<String> targets;
    final Map<String, String> leafStates;
    /** Ticker time of the successful load this tree comes from. */
    final long loadedNanos;
    /** False until a load succeeded. */
    final boolean loaded;

    private TreeSnapshot(List<FleetEntry> raw, List<Integer> rawIndex, NodeTree tree, Map<String, Route> routes,
                         List<Route> leafRoutes, Set<String> targets, Map<String, String> leafStates,
                         long loadedNanos, boolean loaded) {
        this.raw = raw;
        this.rawIndex = rawIndex;
        this.tree = tree;
        this.routes = routes;
        this.leafRoutes = leafRoutes;
        this.targets = targets;
        this.leafStates = leafStates;
        this.loadedNanos = loadedNanos;
        this.loaded = loaded;
    }

    /** The same tree, with {@code error} as the latest refresh's failure (null: the latest refresh succeeded). */
    TreeSnapshot withError(String error) {
        return new TreeSnapshot(raw, rawIndex, new NodeTree(tree.proxies(), tree.loadedAtMillis(), error), routes,
                leafRoutes, targets, leafStates, loadedNanos, loaded);
    }

    static String targetKey(String host, String port) {
        return host + " " + port;
    }

    static TreeSnapshot build(List<FleetEntry> raw, long loadedAtMillis, long loadedNanos) {
        NodeNames.Scope proxyNames = new NodeNames.Scope();
        NodeNames.Scope leafNames = new NodeNames.Scope();
        Set<String> seenProxies = new HashSet<>();
        List<ProxyNode> proxies = new ArrayList<>();
        List<Integer> rawIndex = new ArrayList<>();
        Map<String, Route> proxyRoutes = new LinkedHashMap<>();
        Map<String, Route> leafRouteByName = new LinkedHashMap<>();
        Set<String> targets = new HashSet<>();
        Map<String, String> states = new LinkedHashMap<>();

        for (int i = 0; i < raw.size(); i++) {
            FleetEntry e = raw.get(i);
            String proxyName = proxyNames.claim(NodeNames.urlSafe(e.name()), targetKey(e.host(), e.port()));
            if (!seenProxies.add(proxyName)) {
                continue; // the same proxy listed twice
            }
            HttpTarget proxyTarget = target(e.host(), e.port());
            targets.add(targetKey(e.host(), e.port()));
            if (proxyTarget != null) {
                proxyRoutes.put(proxyName, new Route(proxyName, proxyTarget, ""));
            }
            List<Leaf> leaves = new ArrayList<>();
            Set<String> inThisProxy = new HashSet<>();
            for (FleetLeaf l : e.leaves()) {
                String leafName = leafNames.claim(NodeNames.urlSafe(l.name()), targetKey(l.host(), l.port()));
                if (!inThisProxy.add(leafName)) {
                    continue;
                }
                leaves.add(new Leaf(leafName, l.host(), l.port(), proxyName));
                targets.add(targetKey(l.host(), l.port()));
                if (l.state() != null) {
                    states.putIfAbsent(leafName, l.state());
                }
                Route route = e.cascade()
                        ? (proxyTarget == null ? null : new Route(leafName, proxyTarget, "/proxy2/" + segment(l.name())))
                        : leafTarget(leafName, l);
                if (route != null) {
                    leafRouteByName.putIfAbsent(leafName, route);
                }
            }
            proxies.add(new ProxyNode(proxyName, e.host(), e.port(), e.cascade(), leaves));
            rawIndex.add(i);
        }
        Map<String, Route> routes = new LinkedHashMap<>(proxyRoutes);
        leafRouteByName.forEach(routes::putIfAbsent);
        return new TreeSnapshot(List.copyOf(raw), List.copyOf(rawIndex), new NodeTree(proxies, loadedAtMillis, null),
                Map.copyOf(routes), List.copyOf(leafRouteByName.values()), Set.copyOf(targets), Map.copyOf(states),
                loadedNanos, true);
    }

    private static Route leafTarget(String name, FleetLeaf l) {
        HttpTarget t = target(l.host(), l.port());
        return t == null ? null : new Route(name, t, "");
    }

    private static HttpTarget target(String host, String port) {
        try {
            return new HttpTarget(host, port);
        } catch (IllegalArgumentException e) {
            log.debug("no route to {}:{}: {}", host, port, e.getMessage());
            return null;
        }
    }

    /** A name as one path segment (the child gateway decodes it once). */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    int leafCount() {
        int n = 0;
        for (ProxyNode p : tree.proxies()) {
            n += p.nodes().size();
        }
        return n;
    }
}
