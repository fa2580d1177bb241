package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpTarget;
import java.net.URI;

/** An http:// URL split into where to connect and what to ask for. The URL was validated by the configuration. */
record UrlTarget(HttpTarget target, String pathAndQuery) {
    static UrlTarget parse(String url) {
        URI uri = URI.create(url.trim());
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new UrlTarget(HttpTarget.of(host, port), path + query);
    }

    /** The same server with {@code path} (no trailing slashes on the base, as the reference normalises). */
    UrlTarget withPath(String suffix) {
        String base = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new UrlTarget(target, base + suffix);
    }
}
