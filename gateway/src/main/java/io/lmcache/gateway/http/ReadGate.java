package io.lmcache.gateway.http;

import io.netty.channel.Channel;

/**
 * Who wants the client connection to stop reading, and why. Several parts may each hold the gate (pipelined requests
 * waiting their turn, an upstream connection still being opened, an upstream that cannot take more bytes); reading
 * resumes only when none holds it. Toggling auto-read costs a system call with native transports, so the common case
 * (nobody holds) never touches it. Event-loop confined.
 */
public final class ReadGate {
    /** A later request arrived while an earlier one is still being answered. */
    public static final int PIPELINED = 1;
    /** The request body arrives before the upstream connection is open. */
    public static final int UPSTREAM_CONNECTING = 1 << 1;
    /** The upstream connection's outbound buffer is above its high water mark. */
    public static final int UPSTREAM_BACKPRESSURE = 1 << 2;

    private final Channel channel;
    private int holds;

    public ReadGate(Channel channel) {
        this.channel = channel;
    }

    public void hold(int reason) {
        if (holds == 0) {
            channel.config().setAutoRead(false);
        }
        holds |= reason;
    }

    public void release(int reason) {
        if ((holds & reason) == 0) {
            return;
        }
        holds &= ~reason;
        if (holds == 0) {
            channel.config().setAutoRead(true);
        }
    }

    public boolean isHeld(int reason) {
        return (holds & reason) != 0;
    }
}
