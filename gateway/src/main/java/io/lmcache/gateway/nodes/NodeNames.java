package io.lmcache.gateway.nodes;

import java.util.HashMap;
import java.util.Map;

/**
 * The naming rule of the node tree: every name is URL-safe and unique in its scope, so {@code /proxy2/<name>} and the
 * {@code node} label of {@code /metrics} are unambiguous.
 *
 * <ol>
 *   <li>URL-safe: every character outside {@code [A-Za-z0-9._~-]} (RFC 3986 unreserved) becomes {@code _}; an empty
 *       or missing name becomes {@code node}. So {@code proxy_10.0.0.1_8085} stays as it is and {@code "my node/1"}
 *       becomes {@code my_node_1}.</li>
 *   <li>Unique: proxy names are unique among proxies, leaf names among all leaves of the tree. When a later entry's
 *       name is already taken by an entry with a <em>different</em> address, it gets the first free suffix
 *       {@code _2}, {@code _3}, ... in tree order. A later entry with the same name <em>and</em> the same address is
 *       the same node listed twice and keeps its name (routes and {@code /metrics} then use the first one).</li>
 * </ol>
 *
 * A leaf may share its name with a proxy (an MP server listed as its own single leaf does): {@code /proxy2} looks at
 * proxies first, and both reach the same server.
 */
final class NodeNames {
    static final String EMPTY_NAME = "node";

    private NodeNames() {
    }

    static String urlSafe(String name) {
        if (name == null || name.isEmpty()) {
            return EMPTY_NAME;
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-';
            b.append(unreserved ? c : '_');
        }
        return b.toString();
    }

    /** Hands out unique names within one scope, remembering which address holds each. Not thread-safe. */
    static final class Scope {
        private final Map<String, String> addressByName = new HashMap<>();

        /** The final name for {@code wanted} (already URL-safe) listed at {@code address} ("host:port"). */
        String claim(String wanted, String address) {
            String holder = addressByName.putIfAbsent(wanted, address);
            if (holder == null || holder.equals(address)) {
                return wanted;
            }
            for (int n = 2; ; n++) {
                String candidate = wanted + "_" + n;
                String h = addressByName.putIfAbsent(candidate, address);
                if (h == null || h.equals(address)) {
                    return candidate;
                }
            }
        }
    }
}
