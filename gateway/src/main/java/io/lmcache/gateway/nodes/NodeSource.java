package io.lmcache.gateway.nodes;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the fleet comes from: a discovery supplier, a coordinator, the embedded discovery registry or a static list.
 * {@link #load()} completes with the entries in source order, or exceptionally when the source did not answer
 * usefully (the directory then keeps its last good tree). It never blocks the caller.
 */
interface NodeSource {
    /** For logs and {@code /api/nodes}' {@code source} field, e.g. {@code supplier http://h:5000/lmcache_infos}. */
    String describe();

    /** False for a static list, which is loaded once and never refreshed. */
    boolean dynamic();

    CompletableFuture<List<FleetEntry>> load();
}
