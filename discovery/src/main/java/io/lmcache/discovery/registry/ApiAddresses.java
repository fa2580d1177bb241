package io.lmcache.discovery.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of {@code api_address}, the registry key. Only {@code http(s)://host:port[/path]} is
 * accepted: the frontend turns each address into a host and a port, so anything else would register a node nobody can
 * reach. Normalising (lower-case scheme and host, no trailing slash) makes {@code http://Node:8000/} and
 * {@code http://node:8000} one registration instead of two.
 */
public final class ApiAddresses {
    /** Longest api_address accepted, in characters. */
    public static final int MAX_API_ADDRESS_CHARS = 2048;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ApiAddresses() {
    }

    /** The normalised form of {@code raw}, or a {@link RejectedException} saying what is wrong with it. */
    public static String normalise(String raw) throws RejectedException {
        if (raw == null || raw.isBlank()) {
            throw new RejectedException(Rejection.MISSING_API_ADDRESS, "api_address is required");
        }
        if (raw.length() > MAX_API_ADDRESS_CHARS) {
            throw new RejectedException(Rejection.FIELD_TOO_LARGE,
                    "api_address is longer than " + MAX_API_ADDRESS_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw invalid("is not a URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw invalid("must use the http or https scheme");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("has no host");
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw invalid("has no port");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("must not carry user info, a query or a fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort() + path;
    }

    /** The host of a normalised address when it is an IP literal (IPv6 without brackets), else null. */
    public static String ipLiteral(String normalised) {
        String host = URI.create(normalised).getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return IPV4.matcher(host).matches() ? host : null;
    }

    private static RejectedException invalid(String why) {
        return new RejectedException(Rejection.INVALID_API_ADDRESS,
                "api_address " + why + "; expected http(s)://host:port[/path]");
    }
}
