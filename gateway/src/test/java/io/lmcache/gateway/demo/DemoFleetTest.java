package io.lmcache.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmcache.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoFleetTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void a_demo_gateway_uses_its_embedded_discovery_with_a_short_refresh_and_a_ttl_of_three_beats() {
        GatewayConfig config = DemoFleet.demoConfig(new DemoFleet.Settings("127.0.0.1", 0, 3, Duration.ofSeconds(2), SECOND));

        assertThat(config.embeddedDiscovery()).isTrue();
        assertThat(config.refreshInterval()).isEqualTo(SECOND);
        assertThat(config.discoveryTtl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(config.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void settings_out_of_range_are_refused_with_a_reason() {
        assertThatThrownBy(() -> new DemoFleet.Settings("127.0.0.1", 0, DemoFleet.MAX_NODES + 1, SECOND, SECOND))
                .hasMessageContaining("nodes must be between 0 and " + DemoFleet.MAX_NODES);
        assertThatThrownBy(() -> new DemoFleet.Settings("127.0.0.1", 70_000, 1, SECOND, SECOND))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new DemoFleet.Settings("127.0.0.1", 0, 1, Duration.ZERO, SECOND))
                .hasMessageContaining("positive");
    }

    @Test
    void a_wildcard_listen_address_is_opened_through_loopback() {
        assertThat(DemoFleet.reachableHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(DemoFleet.reachableHost("::")).isEqualTo("127.0.0.1");
        assertThat(DemoFleet.reachableHost("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void a_fleet_with_no_nodes_starts_and_stops() throws Exception {
        try (DemoFleet fleet = DemoFleet.start(new DemoFleet.Settings("127.0.0.1", 0, 0, SECOND, SECOND))) {
            assertThat(fleet.url()).matches("http://127\\.0\\.0\\.1:\\d+/");
            assertThat(fleet.servers()).isEmpty();
        }
    }

    @Test
    void the_command_refuses_too_many_nodes_and_a_taken_port_with_a_message_not_a_stack_trace() throws Exception {
        assertThat(run("--nodes", "65", "--port", "0")).startsWith("2:").contains("nodes must be between 0 and 64");

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("--nodes", "0", "--port", String.valueOf(taken.getLocalPort())))
                    .startsWith("1:").contains("cannot start").doesNotContain("\tat ");
        }
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand()).setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return code + ":" + err;
    }
}
