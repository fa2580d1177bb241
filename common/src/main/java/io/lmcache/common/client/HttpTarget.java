package io.lmcache.common.client;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where an HTTP server listens: a host and a TCP port, or (when {@code port} contains {@code /}) a Unix socket path,
 * following the reference's convention for node ports. Ports are kept as strings because nodes list them either way.
 */
public record HttpTarget(String host, String port) {
    public HttpTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port == null || port.isBlank()) {
            throw new IllegalArgumentException("port is required");
        }
        if (!isSocketPath(port)) {
            int p;
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port '" + port + "' is neither a number nor a socket path");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is out of range");
            }
            port = Integer.toString(p);
        }
    }

    public static HttpTarget of(String host, int port) {
        return new HttpTarget(host, Integer.toString(port));
    }

    private static boolean isSocketPath(String port) {
        return port.indexOf('/') >= 0;
    }

    public boolean isUnixSocket() {
        return isSocketPath(port);
    }

    /** The value for a {@code Host} header: {@code localhost} for sockets, as the reference's clients send. */
    public String hostHeader() {
        if (isUnixSocket()) {
            return "localhost";
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    /** Unresolved for TCP, so that resolution happens at connect time (and is retried on each new connection). */
    public SocketAddress socketAddress() {
        return isUnixSocket() ? new DomainSocketAddress(port) : InetSocketAddress.createUnresolved(host, Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return isUnixSocket() ? "unix:" + port : host + ":" + port;
    }
}
