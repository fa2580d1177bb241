package io.lmcache.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configurations that must stop the plugin at once, with a reason, instead of beating with wrong data. */
class PluginCommandTest {
    private static int run(Map<String, String> env) throws Exception {
        return new PluginCommand().run(env);
    }

    @Test
    void a_missing_http_config_is_an_error() throws Exception {
        assertThat(run(Map.of(PluginCommand.CONFIG_ENV,
                "{\"runtime_plugin_extra_config\":{\"plugin.frontend.heartbeat-url\":\"http://127.0.0.1:1/heartbeat\"}}")))
                .isEqualTo(PluginCommand.CONFIG_ERROR);
    }

    @Test
    void a_missing_heartbeat_url_is_an_error() throws Exception {
        assertThat(run(Map.of(PluginCommand.CONFIG_ENV, "{\"http_config\":{\"http_port\":8085}}")))
                .isEqualTo(PluginCommand.CONFIG_ERROR);
    }

    @Test
    void an_unparseable_value_is_an_error() throws Exception {
        assertThat(run(Map.of(PluginCommand.CONFIG_ENV, "{\"http_config\":{\"http_port\":8085},"
                + "\"runtime_plugin_extra_config\":{\"plugin.frontend.heartbeat-url\":\"http://127.0.0.1:1/heartbeat\","
                + "\"plugin.frontend.heartbeat-interval\":\"soon\"}}"))).isEqualTo(PluginCommand.CONFIG_ERROR);
    }

    @Test
    void a_users_port_key_is_overridden_by_the_mp_servers_http_port_as_argparse_would() throws Exception {
        PluginArgv.Result mapped = PluginArgv.fromEnvironment("{\"http_config\":{\"http_port\":8085},"
                + "\"runtime_plugin_extra_config\":{\"plugin.frontend.port\":9999,\"plugin.frontend.no_http\":true,"
                + "\"plugin.frontend.heartbeat-url\":\"http://127.0.0.1:1/heartbeat\"}}", "p",
                java.util.Set.of("--port", "--no-http", "--heartbeat-url", "--nodes"), java.util.Set.of("--no-http"));
        assertThat(mapped.problems()).isEmpty();
        io.lmcache.agent.sidecar.SidecarSettings s = PluginCommand.parse(mapped.args()).toSettings(77);
        assertThat(s.port()).isEqualTo(8085);
        assertThat(s.pid()).isEqualTo(77);
        assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.port()).isEqualTo("8085"));
    }

    @Test
    void no_environment_at_all_is_an_error() throws Exception {
        assertThat(run(Map.of())).isEqualTo(PluginCommand.CONFIG_ERROR);
    }
}
