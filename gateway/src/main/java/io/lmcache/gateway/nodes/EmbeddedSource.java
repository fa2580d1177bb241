package io.lmcache.gateway.nodes;

import io.lmcache.discovery.registry.DiscoveryRegistry;
import io.lmcache.discovery.registry.NodeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own discovery registry (no node source given): its live entries are read in-process and built into
 * the tree exactly as a supplier's would be (probing each address for {@code /api/nodes}), each leaf carrying its
 * discovery state ({@code up}, {@code stale}). Reading it cannot fail, so an empty registry is an empty fleet.
 */
final class EmbeddedSource implements NodeSource {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSource.class);

    private final DiscoveryRegistry registry;
    private final ProbedAddresses probed;

    EmbeddedSource(DiscoveryRegistry registry, ProbedAddresses probed) {
        this.registry = registry;
        this.probed = probed;
    }

    @Override
    public String describe() {
        return "embedded discovery";
    }

    @Override
    public boolean dynamic() {
        return true;
    }

    @Override
    public CompletableFuture<List<FleetEntry>> load() {
        List<ProbedAddresses.Address> addresses = new ArrayList<>();
        for (NodeEntry entry : registry.snapshot()) {
            try {
                addresses.add(new ProbedAddresses.Address(ApiAddresses.parse(entry.apiAddress()),
                        entry.state().label()));
            } catch (IllegalArgumentException e) {
                log.warn("discovery entry skipped: {}", e.getMessage());
            }
        }
        return probed.entries(addresses);
    }
}
