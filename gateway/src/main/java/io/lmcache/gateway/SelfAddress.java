package io.lmcache.gateway;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The gateway's own listen address. The port is known only once bound (tests bind port 0), hence the volatile field.
 */
public final class SelfAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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

    /**
     * True if {@code targetHost:targetPort} reaches this gateway: the bound port on the configured host,
     * {@code localhost}, a wildcard or loopback address, or an IP literal of a local interface. Host names other than
     * {@code localhost} and the configured host are not resolved (no DNS lookups on this path).
     */
    public boolean isSelf(String targetHost, String targetPort) {
        int p = port;
        if (p <= 0 || targetHost == null || !Integer.toString(p).equals(targetPort)) {
            return false;
        }
        String h = targetHost.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals(host.toLowerCase(Locale.ROOT)) || h.equals("localhost")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(h); // an IP literal: no lookup
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
