package io.lmcache.discovery.registry;

/**
 * A heartbeat or deregistration the registry refused; nothing was changed. The message is fit for a client's
 * {@code {"detail": ...}} (it never echoes long input back).
 */
public final class RejectedException extends Exception {
    private final Rejection reason;

    public RejectedException(Rejection reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }
}
