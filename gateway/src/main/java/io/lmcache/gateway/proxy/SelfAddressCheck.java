package io.lmcache.gateway.proxy;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.SelfAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Tells whether a TCP target is this gateway: its own port on a name or address of this machine (the listen host,
 * {@code 0.0.0.0}, {@code localhost}, loopback, or any local interface address). Interface addresses are read once at
 * start; no name is resolved per request (that would block an event loop), so a DNS alias of this host is caught by
 * the hop limit instead.
 */
final class SelfAddressCheck {
    private final SelfAddress self;
    private final Set<String> localHosts;

    SelfAddressCheck(SelfAddress self) {
        this.self = self;
        Set<String> hosts = new HashSet<>(Set.of("0.0.0.0", "::", "localhost", "::1", "0:0:0:0:0:0:0:1",
                "0:0:0:0:0:0:0:0"));
        if (self.host() != null) {
            hosts.add(normalise(self.host()));
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    hosts.add(normalise(a.getHostAddress()));
                }
            }
        } catch (SocketException | RuntimeException e) {
            // Without interface addresses the listen host, loopback and the hop limit still stop loops.
        }
        this.localHosts = Set.copyOf(hosts);
    }

    boolean isSelf(HttpTarget target) {
        if (target.isUnixSocket() || Integer.parseInt(target.port()) != self.port()) {
            return false;
        }
        String h = normalise(target.host());
        return h.startsWith("127.") || localHosts.contains(h);
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int scope = h.indexOf('%');
        return scope >= 0 ? h.substring(0, scope) : h;
    }
}
