package io.lmcache.gateway;

/**
 * The gateway's own listen address. The port is known only once bound (tests bind port 0), hence the volatile field.
 */
public final class SelfAddress {
    private final String host;
    private volatile int port;

    public SelfAddress(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    void bound(int actualPort) {
        this.port = actualPort;
    }
}
