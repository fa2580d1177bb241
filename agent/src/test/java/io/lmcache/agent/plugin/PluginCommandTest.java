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
    void no_environment_at_all_is_an_error() throws Exception {
        assertThat(run(Map.of())).isEqualTo(PluginCommand.CONFIG_ERROR);
    }
}
