package io.lmcache.discovery.registry;

import java.util.Locale;

/**
 * Liveness of a registered node. A node is {@link #UP} while it heartbeats on time, {@link #STALE} once it has gone
 * half the TTL without one (it missed a beat), and is evicted (no longer listed) once the full TTL has passed.
 */
public enum EntryState {
    UP, STALE;

    /** The lower-case name used on the wire ({@code "state":"stale"}) and as a metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
