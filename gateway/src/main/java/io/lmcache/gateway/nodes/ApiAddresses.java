package io.lmcache.gateway.nodes;

import io.lmcache.common.client.HttpTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Turns a discovery {@code apiAddress} into a host and port. Accepted: {@code http://host:port},
 * {@code http://[v6]:port}, an optional trailing {@code /}, and a bare {@code host:port}. Rejected with a reason
 * (and skipped by the caller, never failing the whole list): https (the gateway speaks plain HTTP to nodes), a
 * missing port, a path, a query, user info.
 */
final class ApiAddresses {
    private ApiAddresses() {
    }

    static HttpTarget parse(String apiAddress) {
        if (apiAddress == null || apiAddress.isBlank()) {
            throw new IllegalArgumentException("empty apiAddress");
        }
        String s = apiAddress.trim();
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("apiAddress '" + apiAddress + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("apiAddress '" + apiAddress + "' is not http:// (" + scheme + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("apiAddress '" + apiAddress + "' has no host");
        }
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("apiAddress '" + apiAddress + "' has no port");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("apiAddress '" + apiAddress + "' has more than scheme, host and port");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return HttpTarget.of(host, uri.getPort());
    }
}
