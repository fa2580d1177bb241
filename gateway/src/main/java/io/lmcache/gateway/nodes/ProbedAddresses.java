package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds entries from discovered addresses (reference §1.5 steps 2–5): de-duplicated on host:port, each named
 * {@code proxy_<host>_<port>}, each probed (through the cache) for {@code /api/nodes}. The gateway's own address is
 * left out, so a gateway registered in the discovery it reads does not list itself.
 */
final class ProbedAddresses {
    private static final Logger log = LoggerFactory.getLogger(ProbedAddresses.class);

    /** A discovered address and its discovery state ("up", "stale") when known. */
    record Address(HttpTarget target, String state) {
    }

    private final ProxyProber prober;
    private final BiPredicate<String, String> isSelf;

    ProbedAddresses(ProxyProber prober, BiPredicate<String, String> isSelf) {
        this.prober = prober;
        this.isSelf = isSelf;
    }

    static String proxyName(HttpTarget t) {
        return "proxy_" + t.host() + "_" + t.port();
    }

    CompletableFuture<List<FleetEntry>> entries(List<Address> addresses) {
        Map<HttpTarget, Address> unique = new LinkedHashMap<>();
        for (Address a : addresses) {
            if (isSelf.test(a.target().host(), a.target().port())) {
                log.debug("{} is this gateway itself; not listed", a.target());
                continue;
            }
            unique.putIfAbsent(a.target(), a);
        }
        List<CompletableFuture<FleetEntry>> futures = new ArrayList<>();
        for (Address a : unique.values()) {
            futures.add(prober.probe(a.target()).thenApply(p -> entry(a, p, isSelf)));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The entry for one probed address. A child gateway's leaves that name this gateway are dropped: a peer gateway
     * that lists us (as a leaf or through a stale answer) must not become a route back to ourselves.
     */
    static FleetEntry entry(Address a, ProxyProber.Probe probe, BiPredicate<String, String> isSelf) {
        String name = proxyName(a.target());
        String host = a.target().host();
        String port = a.target().port();
        if (probe.isGateway()) {
            List<FleetLeaf> leaves = probe.leaves().stream()
                    .filter(l -> !isSelf.test(l.host(), l.port()))
                    .toList();
            return new FleetEntry(name, host, port, true, leaves);
        }
        return FleetEntry.selfLeaf(name, host, port, a.state());
    }
}
