package io.lmcache.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.sidecar.SidecarOptions;
import io.lmcache.common.http.Json;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Mirrors the reference's build_argv tests (reference §6), plus what this implementation does better. */
class PluginArgvTest {
    private static final CommandLine SIDECAR = new CommandLine(new SidecarOptions());
    private static final Set<String> KNOWN = SIDECAR.getCommandSpec().options().stream()
            .map(OptionSpec::longestName).collect(Collectors.toSet());
    private static final Set<String> FLAGS = SIDECAR.getCommandSpec().options().stream()
            .filter(o -> o.arity().max() == 0).map(OptionSpec::longestName).collect(Collectors.toSet());

    private static PluginArgv.Result build(String json) throws Exception {
        return PluginArgv.build(Json.MAPPER.readTree(json), "prog", KNOWN, FLAGS);
    }

    private static JsonNode nodes(PluginArgv.Result r) throws Exception {
        return Json.MAPPER.readTree(r.valueOf("--nodes"));
    }

    @Test
    void a_tcp_http_config_with_extra_keys_maps_like_build_argv() throws Exception {
        PluginArgv.Result r = build("{\"http_config\":{\"http_host\":\"192.168.1.5\",\"http_port\":8085},"
                + "\"runtime_plugin_extra_config\":{\"plugin.frontend.heartbeat-url\":\"http://d:5000/lmcache_heartbeat\","
                + "\"plugin.frontend.heartbeat-interval\":30,\"unrelated.key\":\"x\"}}");
        assertThat(r.argv().get(0)).isEqualTo("prog");
        assertThat(r.argv()).contains("--no-http");
        assertThat(r.valueOf("--heartbeat-url")).isEqualTo("http://d:5000/lmcache_heartbeat");
        assertThat(r.valueOf("--heartbeat-interval")).isEqualTo("30");
        assertThat(r.valueOf("--port")).isEqualTo("8085");
        assertThat(r.argv()).doesNotContain("--unrelated-key");
        assertThat(Json.string(nodes(r)))
                .isEqualTo("[{\"name\":\"lmcache_server\",\"host\":\"192.168.1.5\",\"port\":\"8085\"}]");
        assertThat(r.warnings()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void a_wildcard_host_becomes_localhost_with_a_string_port() throws Exception {
        for (String wildcard : List.of("0.0.0.0", "::")) {
            PluginArgv.Result r = build("{\"http_config\":{\"http_host\":\"" + wildcard + "\",\"http_port\":9000}}");
            assertThat(nodes(r).get(0).get("host").asText()).isEqualTo("localhost");
            assertThat(nodes(r).get(0).get("port").isTextual()).isTrue();
            assertThat(nodes(r).get(0).get("port").asText()).isEqualTo("9000");
        }
    }

    @Test
    void a_socket_path_wins() throws Exception {
        PluginArgv.Result r = build("{\"http_config\":{\"http_host\":\"10.0.0.1\",\"http_port\":9000,"
                + "\"http_socket_path\":\"/tmp/lmc.sock\"}}");
        assertThat(nodes(r).get(0).get("host").asText()).isEqualTo("localhost");
        assertThat(nodes(r).get(0).get("port").asText()).isEqualTo("/tmp/lmc.sock");
    }

    @Test
    void http_frontend_config_is_accepted_as_an_alias() throws Exception {
        PluginArgv.Result r = build("{\"http_frontend_config\":{\"http_host\":\"h\",\"http_port\":7000}}");
        assertThat(nodes(r).get(0).get("host").asText()).isEqualTo("h");
        assertThat(r.valueOf("--port")).isEqualTo("7000");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void an_empty_config_still_yields_no_http_and_the_default_node_but_no_port_and_a_problem() throws Exception {
        PluginArgv.Result r = build("{}");
        assertThat(r.argv()).contains("--no-http").doesNotContain("--port");
        assertThat(Json.string(nodes(r)))
                .isEqualTo("[{\"name\":\"lmcache_server\",\"host\":\"localhost\",\"port\":\"8080\"}]");
        assertThat(r.problems()).singleElement().asString().contains("no http_config");
    }

    @Test
    void underscores_and_dashes_both_map_to_the_dashed_option() throws Exception {
        PluginArgv.Result r = build("{\"http_config\":{\"http_port\":1},\"runtime_plugin_extra_config\":"
                + "{\"plugin.frontend.heartbeat_url\":\"http://a/heartbeat\",\"plugin.frontend.report_host\":\"10.1.1.1\","
                + "\"plugin.frontend.heartbeat-initial-delay\":2}}");
        assertThat(r.valueOf("--heartbeat-url")).isEqualTo("http://a/heartbeat");
        assertThat(r.valueOf("--report-host")).isEqualTo("10.1.1.1");
        assertThat(r.valueOf("--heartbeat-initial-delay")).isEqualTo("2");
    }

    @Test
    void an_unknown_frontend_key_is_a_warning_not_death() throws Exception {
        PluginArgv.Result r = build("{\"http_config\":{\"http_port\":1},\"runtime_plugin_extra_config\":"
                + "{\"plugin.frontend.colour\":\"blue\",\"plugin.frontend.heartbeat-url\":\"http://a/heartbeat\"}}");
        assertThat(r.argv()).doesNotContain("--colour", "blue");
        assertThat(r.warnings()).singleElement().asString().contains("plugin.frontend.colour");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void every_top_level_key_the_launcher_sends_is_tolerated() throws Exception {
        PluginArgv.Result r = build("{\"mp_config\":{\"host\":\"localhost\",\"port\":5555},"
                + "\"storage_manager_config\":{\"l1_size_gb\":2},\"obs_config\":{\"x\":null},\"future_config\":[1],"
                + "\"http_config\":{\"http_host\":\"0.0.0.0\",\"http_port\":8085}}");
        assertThat(r.problems()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.valueOf("--port")).isEqualTo("8085");
    }

    @Test
    void values_are_written_as_pythons_str_does() throws Exception {
        PluginArgv.Result r = build("{\"http_config\":{\"http_port\":\"8085\"},\"runtime_plugin_extra_config\":"
                + "{\"plugin.frontend.no-http\":true,\"plugin.frontend.heartbeat-interval\":2.5}}");
        assertThat(r.valueOf("--heartbeat-interval")).isEqualTo("2.5");
        assertThat(r.argv().stream().filter("--no-http"::equals)).hasSize(2);
        assertThat(r.valueOf("--port")).isEqualTo("8085");
    }

    @Test
    void missing_or_malformed_environment_is_a_problem() {
        assertThat(PluginArgv.fromEnvironment(null, "p", KNOWN, FLAGS).problems().get(0))
                .contains("LMCACHE_RUNTIME_PLUGIN_CONFIG is not set");
        assertThat(PluginArgv.fromEnvironment("{oops", "p", KNOWN, FLAGS).problems().get(0)).contains("not valid JSON");
        assertThat(PluginArgv.fromEnvironment("[1]", "p", KNOWN, FLAGS).problems().get(0)).contains("JSON object");
    }
}
