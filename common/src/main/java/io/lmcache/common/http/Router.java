package io.lmcache.common.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes local (aggregated) requests by method and path template. Templates are literal segments and {@code {name}}
 * placeholders matching one non-empty segment, e.g. {@code /api/proxies/{proxy}/nodes}. Routes are tried in the order
 * they were added. A path that matches with another method is a 405, not a 404.
 */
public final class Router {
    /** Serves one exchange; see {@link Exchange} for ownership of the request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /** The outcome of {@link #match}: a handler with its parameters, or why none applies. */
    public record Match(Handler handler, Map<String, String> params, Set<HttpMethod> allowed) {
        public boolean found() {
            return handler != null;
        }

        /** True if the path exists but not with this method. */
        public boolean methodNotAllowed() {
            return handler == null && !allowed.isEmpty();
        }
    }

    private record Route(HttpMethod method, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Handler handler) {
        return add(HttpMethod.GET, template, handler);
    }

    public Router post(String template, Handler handler) {
        return add(HttpMethod.POST, template, handler);
    }

    public Router delete(String template, Handler handler) {
        return add(HttpMethod.DELETE, template, handler);
    }

    public Router add(HttpMethod method, String template, Handler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with '/': " + template);
        }
        routes.add(new Route(method, split(template), handler));
        return this;
    }

    /** Matches an already percent-decoded {@code path} (no query). HEAD is served by GET routes. */
    public Match match(HttpMethod method, String path) {
        String[] segments = split(path);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = bind(route.segments, segments);
            if (params == null) {
                continue;
            }
            if (route.method.equals(method) || (HttpMethod.HEAD.equals(method) && HttpMethod.GET.equals(route.method))) {
                return new Match(route.handler, params, Set.of());
            }
            allowed.add(route.method);
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> bind(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.length() > 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
                if (path[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params == null ? Collections.emptyMap() : params;
    }

    /** "/a/b/" → ["a", "b", ""]: a trailing slash is significant, as in the reference's routes. */
    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
