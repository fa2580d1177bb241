package io.lmcache.discovery.registry;

import java.util.List;

/**
 * CONTRACT STUB (to be implemented by the discovery work): the heartbeat registry, embeddable in the gateway.
 * Keep these public signatures; add whatever else is needed.
 */
public final class DiscoveryRegistry {
    /** {@code ttlMillis}: expiry after the last heartbeat; {@code maxNodes}: bound on live entries. */
    public static DiscoveryRegistry create(long ttlMillis, int maxNodes) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The normalised api_address of every live (not expired) entry, in first-seen order. */
    public List<String> liveApiAddresses() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
