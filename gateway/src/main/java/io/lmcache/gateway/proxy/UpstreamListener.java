package io.lmcache.gateway.proxy;

import io.netty.handler.codec.http.HttpObject;

/** Receives what happens on an upstream connection while it serves one exchange (event-loop confined). */
interface UpstreamListener {
    /** A part of the response; ownership moves to the listener. */
    void onResponseObject(HttpObject msg);

    /** The end of a read batch: the moment to flush what was relayed. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);

    /** The connection closed or failed ({@code cause} null for a plain close) before the exchange ended. */
    void onUpstreamClosed(Throwable cause);
}
