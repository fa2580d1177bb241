package io.lmcache.agent.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmcache.common.http.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the MP runtime-plugin launcher's JSON ({@code LMCACHE_RUNTIME_PLUGIN_CONFIG}) into sidecar arguments, as the
 * reference's {@code build_argv} does:
 * <ul>
 *   <li>every {@code runtime_plugin_extra_config} key {@code plugin.frontend.<k>} becomes {@code --<k>} (with
 *       {@code _} turned into {@code -}) followed by the value as Python's {@code str()} writes it;</li>
 *   <li>the node {@code lmcache_server} comes from {@code http_config} (or {@code http_frontend_config}): its
 *       {@code http_socket_path} if set, else {@code http_host} (wildcards {@code 0.0.0.0} and {@code ::} become
 *       {@code localhost}) and {@code http_port} as a string (default {@code "8080"});</li>
 *   <li>{@code --port <http_port>} when the port is present, and always {@code --no-http}.</li>
 * </ul>
 * Unlike the original, an unknown {@code plugin.frontend.*} key is a warning and is left out (argparse would have
 * killed the plugin), and a missing HTTP config is reported as a problem rather than silently reporting port 8000.
 * Every other top-level key the launcher sends is ignored.
 */
public final class PluginArgv {
    public static final String KEY_PREFIX = "plugin.frontend.";
    public static final String NODE_NAME = "lmcache_server";

    /** The result: arguments (argv[0] is the program name), warnings to log, and problems that prevent running. */
    public record Result(List<String> argv, List<String> warnings, List<String> problems) {
        public List<String> args() {
            return argv.subList(1, argv.size());
        }

        /** The value following {@code option}, or null. */
        public String valueOf(String option) {
            int i = argv.lastIndexOf(option);
            return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
        }
    }

    private PluginArgv() {
    }

    /** Parses the launcher's JSON text (null or blank means no config; malformed JSON is a problem). */
    public static Result fromEnvironment(String configJson, String prog, Set<String> knownOptions,
                                         Set<String> flagOptions) {
        List<String> early = new ArrayList<>();
        JsonNode config;
        if (configJson == null || configJson.isBlank()) {
            early.add("LMCACHE_RUNTIME_PLUGIN_CONFIG is not set: this command is meant to be launched by the MP "
                    + "server's --runtime-plugin-locations");
            config = JsonNodeFactory.instance.objectNode();
        } else {
            try {
                config = Json.MAPPER.readTree(configJson);
            } catch (Exception e) {
                early.add("LMCACHE_RUNTIME_PLUGIN_CONFIG is not valid JSON: " + e.getMessage());
                config = JsonNodeFactory.instance.objectNode();
            }
            if (config == null || !config.isObject()) {
                early.add("LMCACHE_RUNTIME_PLUGIN_CONFIG must be a JSON object");
                config = JsonNodeFactory.instance.objectNode();
            }
        }
        Result r = build(config, prog, knownOptions, flagOptions);
        List<String> problems = new ArrayList<>(early);
        problems.addAll(r.problems());
        return new Result(r.argv(), r.warnings(), List.copyOf(problems));
    }

    /**
     * Maps a parsed config. {@code knownOptions} are the sidecar's long option names ({@code --heartbeat-url}, ...);
     * {@code flagOptions} those among them that take no value (added only when the value is true).
     */
    public static Result build(JsonNode config, String prog, Set<String> knownOptions, Set<String> flagOptions) {
        List<String> argv = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        argv.add(prog);

        JsonNode extra = config.path("runtime_plugin_extra_config");
        if (extra.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().startsWith(KEY_PREFIX)) {
                    continue;
                }
                String option = "--" + e.getKey().substring(KEY_PREFIX.length()).replace('_', '-');
                if (!knownOptions.contains(option)) {
                    warnings.add("Ignoring unknown plugin option '" + e.getKey() + "' (no " + option + " option)");
                    continue;
                }
                if (flagOptions.contains(option)) {
                    if (truthy(e.getValue())) {
                        argv.add(option);
                    }
                    continue;
                }
                argv.add(option);
                argv.add(pythonStr(e.getValue()));
            }
        } else if (!extra.isMissingNode() && !extra.isNull()) {
            warnings.add("runtime_plugin_extra_config is not a JSON object; ignored");
        }

        JsonNode http = config.path("http_config");
        if (!http.isObject()) {
            http = config.path("http_frontend_config");
        }
        if (!http.isObject()) {
            problems.add("the plugin config has no http_config (the MP server's HTTP frontend): start the MP server "
                    + "with its HTTP server enabled (--http-port) so that api_address can name it");
            http = JsonNodeFactory.instance.objectNode();
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", NODE_NAME);
        String socket = text(http.get("http_socket_path"));
        if (socket != null && !socket.isEmpty()) {
            node.put("host", "localhost");
            node.put("port", socket);
        } else {
            String host = text(http.get("http_host"));
            if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
                host = "localhost";
            }
            node.put("host", host);
            String port = text(http.get("http_port"));
            node.put("port", port == null ? "8080" : port);
        }
        argv.add("--nodes");
        argv.add("[" + Json.string(node) + "]");
        String port = text(http.get("http_port"));
        if (port != null) {
            argv.add("--port");
            argv.add(port);
        } else if (problems.isEmpty()) {
            problems.add("http_config has no http_port: api_address needs the MP server's HTTP port");
        }
        argv.add("--no-http");
        return new Result(List.copyOf(argv), List.copyOf(warnings), List.copyOf(problems));
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : pythonStr(v);
    }

    /** Python's {@code str(value)} for JSON scalars: {@code 30}, {@code True}, {@code 1.5}, text as is. */
    static String pythonStr(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        if (v.isNull()) {
            return "None";
        }
        return v.toString();
    }

    private static boolean truthy(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String s = pythonStr(v).trim().toLowerCase(java.util.Locale.ROOT);
        return !(s.isEmpty() || s.equals("false") || s.equals("0") || s.equals("no") || s.equals("none"));
    }
}
