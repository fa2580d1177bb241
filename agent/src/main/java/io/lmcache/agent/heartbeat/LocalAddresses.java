package io.lmcache.agent.heartbeat;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Finds the non-loopback IPv4 address other machines most likely reach this one at, as the reference's
 * {@code get_local_ip()} does, without spawning {@code hostname -I}.
 */
public final class LocalAddresses {
    public static final String LOOPBACK = "127.0.0.1";

    private LocalAddresses() {
    }

    /**
     * In order: the source address of the default route (a UDP socket "connected" to a non-routable address; no packet
     * is sent), then the first non-loopback IPv4 of an interface that is up, then {@code 127.0.0.1}.
     */
    public static String detectIpv4() {
        String viaRoute = defaultRouteAddress();
        if (viaRoute != null) {
            return viaRoute;
        }
        String viaInterfaces = firstInterfaceAddress();
        return viaInterfaces != null ? viaInterfaces : LOOPBACK;
    }

    private static String defaultRouteAddress() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) 255, (byte) 255, (byte) 255}), 1));
            InetAddress local = socket.getLocalAddress();
            if (local instanceof Inet4Address && !local.isLoopbackAddress() && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (Exception | Error e) {
            // no route: fall through to the interface scan
        }
        return null;
    }

    private static String firstInterfaceAddress() {
        try {
            Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
            if (interfaces == null) {
                return null;
            }
            for (NetworkInterface nif : Collections.list(interfaces)) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return null;
    }
}
