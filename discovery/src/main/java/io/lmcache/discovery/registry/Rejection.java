package io.lmcache.discovery.registry;

import java.util.Locale;

/** Why a heartbeat or deregistration was refused; each maps to one HTTP status and one metric label. */
public enum Rejection {
    MISSING_API_ADDRESS(400),
    INVALID_API_ADDRESS(400),
    INVALID_PID(400),
    FIELD_TOO_LARGE(400),
    TOO_MANY_NODES(429);

    private final int httpStatus;

    Rejection(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Value of the {@code reason} label of {@code lmcache_discovery_rejected_heartbeats_total}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
