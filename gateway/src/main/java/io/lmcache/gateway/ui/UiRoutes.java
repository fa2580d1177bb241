package io.lmcache.gateway.ui;

import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.gateway.GatewayServices;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * The dashboard: {@code GET /} (the page) and {@code GET /static/<path>} (its scripts, styles and uPlot), all from
 * memory (see {@link StaticAssets}). Every answer carries a Content-Security-Policy that allows nothing but this
 * origin (fleets often run in closed networks, and node data shown on the page is untrusted), {@code nosniff}, and an
 * ETag; a matching {@code If-None-Match} is answered 304. Anything not in the asset set is a plain 404.
 */
public final class UiRoutes {
    /**
     * Same origin only, no inline script, no eval, no plugins, no framing. Styles are our stylesheets; uPlot and the
     * page set element styles through the CSSOM ({@code el.style.x = ...}), which CSP does not restrict.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final String STATIC_PREFIX = "/static/";
    /** Our own files change with each build: revalidate with the ETag on every load. */
    static final String CACHE_REVALIDATE = "no-cache";
    /** Pinned third-party files: a day is long enough to matter, short enough to pick up an upgrade. */
    static final String CACHE_VENDOR = "public, max-age=86400";
    /** Deepest folder level under /static/ that we route (e.g. /static/a/b/c/file.js). */
    private static final int MAX_STATIC_DEPTH = 4;

    private UiRoutes() {
    }

    public static void register(Router router, GatewayServices services) {
        register(router, StaticAssets.load(UiRoutes.class.getClassLoader()));
    }

    /** Registers the dashboard routes serving {@code assets}. */
    public static void register(Router router, StaticAssets assets) {
        router.get("/", exchange -> serve(exchange, assets.find("index.html")));
        router.get("/index.html", exchange -> serve(exchange, assets.find("index.html")));
        // The router matches one segment per placeholder, so each depth gets its route; the map lookup decides.
        StringBuilder template = new StringBuilder("/static");
        for (int depth = 1; depth <= MAX_STATIC_DEPTH; depth++) {
            template.append("/{s").append(depth).append('}');
            router.get(template.toString(), exchange -> serve(exchange, staticAsset(exchange, assets)));
        }
    }

    /**
     * The asset a {@code /static/...} request names. Besides the map lookup (which already cannot escape the asset
     * set) a raw request containing a dot-segment or any percent-escape is refused outright: our file names need
     * neither, and refusing early keeps odd paths out of the logs of whatever sits behind us.
     */
    static Optional<StaticAssets.Asset> staticAsset(Exchange exchange, StaticAssets assets) {
        String raw = exchange.request().uri();
        int query = raw.indexOf('?');
        String rawPath = query < 0 ? raw : raw.substring(0, query);
        if (rawPath.indexOf('%') >= 0 || rawPath.indexOf('\\') >= 0 || rawPath.contains("/./")
                || rawPath.contains("/../") || rawPath.endsWith("/..") || rawPath.endsWith("/.")) {
            return Optional.empty();
        }
        String path = exchange.path();
        if (!path.startsWith(STATIC_PREFIX)) {
            return Optional.empty();
        }
        return assets.find(path.substring(STATIC_PREFIX.length()));
    }

    private static void serve(Exchange exchange, Optional<StaticAssets.Asset> found) {
        if (found.isEmpty()) {
            FullHttpResponse notFound = Responses.detail(HttpResponseStatus.NOT_FOUND, "Not Found");
            securityHeaders(notFound.headers());
            exchange.respond(notFound);
            return;
        }
        StaticAssets.Asset asset = found.get();
        String ifNoneMatch = exchange.request().headers().get(HttpHeaderNames.IF_NONE_MATCH);
        FullHttpResponse response;
        if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
            response = Responses.bytes(HttpResponseStatus.OK, asset.contentType(), asset.body());
        }
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, asset.etag());
        headers.set(HttpHeaderNames.CACHE_CONTROL, asset.versioned() ? CACHE_VENDOR : CACHE_REVALIDATE);
        securityHeaders(headers);
        exchange.respond(response);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static void securityHeaders(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
    }
}
