package io.lmcache.agent.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One MP node the sidecar reports for: {@code {name, host, port}}, port a number or a string (a string containing
 * {@code /} is a Unix socket path), as the reference's {@code --nodes} accepts.
 */
public record NodeSpec(String name, String host, String port) {
    public NodeSpec {
        target(host, port); // validates
    }

    public HttpTarget target() {
        return target(host, port);
    }

    private static HttpTarget target(String host, String port) {
        return new HttpTarget(host, port);
    }

    /** Parses a JSON array of node objects; throws {@link IllegalArgumentException} naming the first problem. */
    public static List<NodeSpec> parseList(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("--nodes is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("--nodes must be a JSON array of {name, host, port} objects");
        }
        List<NodeSpec> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            if (!n.isObject() || !n.hasNonNull("name") || !n.hasNonNull("host") || !n.hasNonNull("port")) {
                throw new IllegalArgumentException("--nodes entry " + i + " must be an object with name, host and port");
            }
            JsonNode port = n.get("port");
            if (!port.isTextual() && !port.isIntegralNumber()) {
                throw new IllegalArgumentException("--nodes entry " + i + ": port must be a number or a string");
            }
            try {
                out.add(new NodeSpec(n.get("name").asText(), n.get("host").asText(), port.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--nodes entry " + i + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }
}
