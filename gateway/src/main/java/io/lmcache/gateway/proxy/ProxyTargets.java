package io.lmcache.gateway.proxy;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.nodes.NodeDirectory;
import io.lmcache.gateway.nodes.Route;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a {@code /proxy2/{node}/{path}} or {@code /proxy/{host}/{port|socket}/{path}} request goes, or why it
 * goes nowhere. The path and query after the node (or port) segment are forwarded byte for byte, as received.
 *
 * <p>Refusals, in the order checked: a method other than the seven proxied ones (405); more gateway hops than allowed
 * (508); a malformed path (404 as the reference's router would, or 400 for bad percent-encoding); an unknown node (404
 * {@code Node with name '<n>' not found}); a target that is not a registered node, TCP or Unix socket alike (403
 * {@code Target H:P is not a registered node}); the gateway itself (508).
 */
final class ProxyTargets {
    static final String PROXY2_PREFIX = "/proxy2/";
    static final String PROXY_PREFIX = "/proxy/";
    /** Counts gateways a request has passed through, so a loop through several gateways ends. */
    static final String HOPS_HEADER = io.lmcache.gateway.http.GatewayHops.HEADER;
    static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
            HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.HEAD);
    static final String ALLOW = "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD";
    /** RFC 5842's status for a request that would go round in circles. */
    static final HttpResponseStatus LOOP_DETECTED = new HttpResponseStatus(508, "Loop Detected");

    /** Where to send a request: the target, the URI to send it, and the node name for metrics. */
    record Destination(String node, HttpTarget target, String upstreamUri, int hops) {
    }

    /** Why a request is not forwarded; answered as {@code {"detail": ...}}. */
    record Refusal(HttpResponseStatus status, String detail) {
    }

    private final NodeDirectory nodes;
    private final SelfAddressCheck self;
    private final int maxHops;

    ProxyTargets(NodeDirectory nodes, SelfAddressCheck self, int maxHops) {
        this.nodes = nodes;
        this.self = self;
        this.maxHops = maxHops;
    }

    /** Returns a {@link Destination} or a {@link Refusal}. */
    Object resolve(HttpRequest request) {
        if (!METHODS.contains(request.method())) {
            return new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        }
        int hops;
        try {
            hops = hops(request.headers());
        } catch (IllegalArgumentException e) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (hops >= maxHops) {
            return new Refusal(LOOP_DETECTED,
                    "Too many gateway hops (" + hops + "); the limit is " + maxHops + ", is there a proxy loop?");
        }
        String uri = request.uri();
        try {
            if (uri.startsWith(PROXY2_PREFIX)) {
                return byName(uri, hops + 1);
            }
            if (uri.startsWith(PROXY_PREFIX)) {
                return byAddress(uri, hops + 1);
            }
        } catch (IllegalArgumentException e) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        return notFound();
    }

    private Object byName(String uri, int hops) {
        int start = PROXY2_PREFIX.length();
        int end = PathSegments.segmentEnd(uri, start);
        if (end == start || end == uri.length() || uri.charAt(end) != '/') {
            return notFound(); // "/proxy2/n" without the slash does not match the route, as in the reference
        }
        String name = PathSegments.decode(uri.substring(start, end));
        Optional<Route> route = nodes.route(name);
        if (route.isEmpty()) {
            return new Refusal(HttpResponseStatus.NOT_FOUND, "Node with name '" + name + "' not found");
        }
        Route r = route.get();
        if (self.isSelf(r.target())) {
            return loop(r.target());
        }
        return new Destination(r.nodeName(), r.target(), r.pathPrefix() + uri.substring(end), hops);
    }

    private Object byAddress(String uri, int hops) {
        int hostStart = PROXY_PREFIX.length();
        int hostEnd = PathSegments.segmentEnd(uri, hostStart);
        if (hostEnd == hostStart || hostEnd == uri.length() || uri.charAt(hostEnd) != '/') {
            return notFound();
        }
        int portEnd = PathSegments.segmentEnd(uri, hostEnd + 1);
        if (portEnd == hostEnd + 1 || portEnd == uri.length() || uri.charAt(portEnd) != '/') {
            return notFound();
        }
        String host = PathSegments.decode(uri.substring(hostStart, hostEnd));
        // Decoded twice: the reference's server decodes the path once and the app the port segment again, so a
        // socket path arrives as %252Ftmp%252Fsock.
        String port = PathSegments.decode(PathSegments.decode(uri.substring(hostEnd + 1, portEnd)));
        if (!nodes.isRegisteredTarget(host, port)) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "Target " + host + ":" + port + " is not a registered node");
        }
        HttpTarget target = new HttpTarget(host, port);
        if (self.isSelf(target)) {
            return loop(target);
        }
        return new Destination(target.toString(), target, uri.substring(portEnd), hops);
    }

    private int hops(HttpHeaders headers) {
        return io.lmcache.gateway.http.GatewayHops.parse(headers.get(HOPS_HEADER));
    }

    private static Refusal loop(HttpTarget target) {
        return new Refusal(LOOP_DETECTED,
                "Refusing to proxy to the gateway itself (" + target.host() + ":" + target.port() + ")");
    }

    private static Refusal notFound() {
        return new Refusal(HttpResponseStatus.NOT_FOUND, "Not Found");
    }
}
