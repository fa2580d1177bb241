package io.lmcache.gateway.proxy;

import io.lmcache.common.client.HttpTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * What the proxy changes in message heads, and nothing more. Both directions lose the hop-by-hop fields of RFC 9110
 * §7.6.1 and every field that {@code Connection} names; bodies are never decoded, so {@code Content-Length} and
 * {@code Content-Encoding} pass as sent and only chunked framing is redone by the codecs. Repeated fields
 * (Set-Cookie) stay repeated. Heads are changed in place: the same message object travels on.
 */
final class HeaderPolicy {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString HOPS = AsciiString.cached(ProxyTargets.HOPS_HEADER.toLowerCase());
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_AUTHENTICATE,
        HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
        AsciiString.cached("trailers"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
        AsciiString.cached("proxy-connection"),
    };

    private HeaderPolicy() {
    }

    /** Removes the hop-by-hop fields and every field named in {@code Connection}. */
    static void stripHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
            for (String value : values) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty()) {
                        headers.remove(name);
                    }
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /**
     * Turns the client's request into the upstream one: HTTP/1.1 (so the connection can be pooled), the forwarded
     * URI, the target's {@code Host}, {@code X-Forwarded-For/-Proto/-Host}, and the hop count.
     */
    static void prepareRequest(HttpRequest request, String upstreamUri, HttpTarget target, String clientIp, int hops) {
        HttpHeaders h = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        String originalHost = h.get(HttpHeaderNames.HOST);
        stripHopByHop(h);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED); // framing is per hop: redone here
        }
        h.set(HttpHeaderNames.HOST, target.hostHeader());
        if (clientIp != null) {
            String prior = h.get(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, prior == null ? clientIp : prior + ", " + clientIp);
        }
        if (!h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, "http");
        }
        if (originalHost != null && !h.contains(X_FORWARDED_HOST)) {
            h.set(X_FORWARDED_HOST, originalHost);
        }
        h.setInt(HOPS, hops);
        request.setUri(upstreamUri);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Turns the upstream response into the client's: hop-by-hop fields out, framing for this client (chunked for
     * HTTP/1.1 when the length is unknown, close-delimited for HTTP/1.0), and the client's keep-alive.
     *
     * @return true if the client connection must be closed after this response
     */
    static boolean prepareResponse(HttpResponse response, boolean headRequest, boolean clientKeepAlive,
                                   boolean clientHttp10) {
        HttpHeaders h = response.headers();
        stripHopByHop(h);
        int code = response.status().code();
        boolean bodyless = headRequest || code < 200 || code == 204 || code == 304;
        boolean close = !clientKeepAlive;
        if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientHttp10) {
                close = true; // HTTP/1.0 has no chunked coding: the end of the body is the end of the connection
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return close;
    }

    /** Server-sent events are flushed chunk by chunk, so each event reaches the browser when it is produced. */
    static boolean isEventStream(HttpResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, "text/event-stream".length());
    }
}
