package io.lmcache.gateway.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.client.HttpTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads node objects ({@code {"name": ..., "host": ..., "port": ...}}) from JSON, one entry at a time: a malformed
 * entry is reported to a {@code skipped} callback and left out, never failing the whole list (reference §11.9,
 * §11.12). A port is a number or a string; a string containing {@code /} is a Unix socket path, any other must be a
 * TCP port 1–65535.
 */
final class NodeEntries {
    private NodeEntries() {
    }

    /** A valid node object as a leaf, or an {@link IllegalArgumentException} saying what is wrong with it. */
    static FleetLeaf leaf(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String name = text(node, "name");
        String host = text(node, "host");
        String port = port(node.get("port"));
        JsonNode proxyId = node.get("proxy_id");
        if (proxyId != null && !proxyId.isNull() && !proxyId.isTextual()) {
            throw new IllegalArgumentException("proxy_id must be a string");
        }
        JsonNode state = node.get("state");
        return new FleetLeaf(name, host, port, state != null && state.isTextual() ? state.asText() : null);
    }

    /** The valid entries of {@code array} in order; each invalid one goes to {@code skipped} with its reason. */
    static List<FleetLeaf> leaves(JsonNode array, String what, Consumer<String> skipped) {
        List<FleetLeaf> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                out.add(leaf(array.get(i)));
            } catch (IllegalArgumentException e) {
                skipped.accept(what + " entry #" + i + " skipped: " + e.getMessage() + ": " + abbreviate(array.get(i)));
            }
        }
        return out;
    }

    static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("\"" + key + "\" is empty");
        }
        return s;
    }

    /** A port as the canonical string: digits for TCP, the path for a Unix socket. */
    static String port(JsonNode v) {
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing \"port\"");
        }
        String raw;
        if (v.isIntegralNumber()) {
            raw = v.asText();
        } else if (v.isTextual()) {
            raw = v.asText().trim();
        } else {
            throw new IllegalArgumentException("\"port\" must be a number or a string");
        }
        try {
            return new HttpTarget("h", raw).port();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad \"port\": " + e.getMessage());
        }
    }

    static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
