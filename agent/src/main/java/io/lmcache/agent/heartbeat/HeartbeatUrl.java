package io.lmcache.agent.heartbeat;

import io.lmcache.common.client.HttpTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed discovery heartbeat URL: where to connect, the raw path and the raw query it already carries. Only
 * {@code http} is accepted (discovery runs on a private network; the client speaks plain HTTP).
 */
public record HeartbeatUrl(String url, HttpTarget target, String rawPath, String rawQuery) {
    private static final String DEREGISTER_SEGMENT = "lmcache_deregister";

    /** Parses {@code url}, or throws {@link IllegalArgumentException} with a reason fit for an operator. */
    public static HeartbeatUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("heartbeat URL is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("heartbeat URL '" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("heartbeat URL '" + url + "' must start with http://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("heartbeat URL '" + url + "' has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new HeartbeatUrl(url.trim(), HttpTarget.of(host, port), path, uri.getRawQuery());
    }

    /** Path and query for a request carrying {@code encodedParams} after any query the URL already has. */
    public String pathAndQuery(String encodedParams) {
        return pathAndQuery(rawPath, encodedParams);
    }

    private String pathAndQuery(String path, String encodedParams) {
        StringBuilder b = new StringBuilder(path);
        b.append('?');
        if (rawQuery != null && !rawQuery.isEmpty()) {
            b.append(rawQuery);
            if (!encodedParams.isEmpty()) {
                b.append('&');
            }
        }
        return b.append(encodedParams).toString();
    }

    /**
     * The deregistration path: the last segment {@code lmcache_heartbeat} or {@code heartbeat} replaced by
     * {@code lmcache_deregister}; null when the URL names another path (a custom discovery without that endpoint).
     */
    public String deregisterPathAndQuery(String encodedParams) {
        int slash = rawPath.lastIndexOf('/');
        String last = rawPath.substring(slash + 1);
        if (!last.equals("lmcache_heartbeat") && !last.equals("heartbeat")) {
            return null;
        }
        return pathAndQuery(rawPath.substring(0, slash + 1) + DEREGISTER_SEGMENT, encodedParams);
    }
}
