package io.lmcache.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmcache.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class GatewayMainTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = GatewayMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static GatewayConfig parse(String... args) {
        GatewayMain main = new GatewayMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig();
    }

    @Test
    void the_defaults_are_the_references() {
        GatewayConfig c = parse();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.heartbeatInitialDelay()).isZero();
        assertThat(c.logLevel()).isEqualTo("warning");
        assertThat(c.noHttp()).isFalse();
        assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.metricsTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.discoveryTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.transport()).isEqualTo("auto");
        assertThat(c.embeddedDiscovery()).isTrue();
        assertThat(c.nodeSource()).isEqualTo(GatewayConfig.NodeSourceKind.EMBEDDED);
    }

    @Test
    void every_option_maps_onto_the_config() {
        GatewayConfig c = parse("--host", "127.0.0.1", "--port", "9000",
                "--node-supplier-url", "http://d:5000/lmcache_infos", "--coordinator-url", "http://c:9000/",
                "--nodes", "[]", "--config", "x.json", "--heartbeat-url", "http://d:5000/lmcache_heartbeat",
                "--heartbeat-interval", "10", "--heartbeat-initial-delay", "500ms", "--report-host", "gw.example",
                "--log-level", "debug", "--no-http", "--refresh-interval", "2m", "--connect-timeout", "1s",
                "--response-timeout", "90s", "--idle-timeout", "0", "--metrics-timeout", "3s",
                "--metrics-concurrency", "8", "--max-connections-per-node", "16", "--max-hops", "2",
                "--transport", "NIO", "--io-threads", "2", "--discovery-ttl", "1m", "--discovery-max-nodes", "50");
        assertThat(c).isEqualTo(new GatewayConfig("127.0.0.1", 9000, "http://d:5000/lmcache_infos", "http://c:9000/",
                "[]", "x.json", "http://d:5000/lmcache_heartbeat", Duration.ofSeconds(10), Duration.ofMillis(500),
                "gw.example", "debug", true, Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(90),
                Duration.ZERO, Duration.ofSeconds(3), 8, 16, 2, "nio", 2, Duration.ofMinutes(1), 50));
        assertThat(c.nodeSource()).isEqualTo(GatewayConfig.NodeSourceKind.SUPPLIER);
    }

    @Test
    void sources_follow_the_references_precedence() {
        assertThat(parse("--coordinator-url", "http://c:1", "--nodes", "[]").nodeSource())
                .isEqualTo(GatewayConfig.NodeSourceKind.COORDINATOR);
        assertThat(parse("--nodes", "[]", "--config", "f").nodeSource()).isEqualTo(GatewayConfig.NodeSourceKind.NODES);
        assertThat(parse("--config", "f").nodeSource()).isEqualTo(GatewayConfig.NodeSourceKind.CONFIG_FILE);
    }

    @Test
    void an_empty_report_host_counts_as_unset() {
        assertThat(parse("--report-host", "").reportHost()).isNull();
    }

    @Test
    void help_explains_every_option_and_lists_the_demo_command() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        for (OptionSpec option : GatewayMain.commandLine().getCommandSpec().options()) {
            assertThat(r.out()).contains(option.longestName());
            assertThat(option.description()).as(option.longestName()).isNotEmpty();
        }
        for (String name : new String[] {"--host", "--port", "--node-supplier-url", "--config", "--nodes",
                "--heartbeat-url", "--heartbeat-interval", "--heartbeat-initial-delay", "--report-host", "--log-level",
                "--no-http", "--coordinator-url", "--refresh-interval", "--connect-timeout", "--response-timeout",
                "--idle-timeout", "--metrics-timeout", "--max-hops", "--transport", "--io-threads", "--discovery-ttl",
                "--version"}) {
            assertThat(r.out()).contains(name);
        }
        assertThat(r.out()).contains("demo");
        assertThat(GatewayMain.commandLine().getSubcommands()).containsKey("demo");
    }

    @Test
    void version_prints_the_version() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("lmcache-gateway");
    }

    @Test
    void invalid_values_exit_with_2_and_a_clear_message() {
        assertThat(run("--port", "70000")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--port 70000 is out of range");
        });
        assertThat(run("--port", "-1").exit()).isEqualTo(2);
        assertThat(run("--port", "abc").exit()).isEqualTo(2);
        assertThat(run("--node-supplier-url", "discovery:5000").err()).contains("--node-supplier-url");
        assertThat(run("--node-supplier-url", "https://d:5000/lmcache_infos")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("https is not supported");
        });
        assertThat(run("--coordinator-url", "http://").exit()).isEqualTo(2);
        assertThat(run("--heartbeat-url", "ftp://x/y").exit()).isEqualTo(2);
        assertThat(run("--refresh-interval", "0").err()).contains("--refresh-interval must be a positive duration");
        assertThat(run("--connect-timeout", "soon").exit()).isEqualTo(2);
        assertThat(run("--heartbeat-interval", "0").exit()).isEqualTo(2);
        assertThat(run("--transport", "carrier-pigeon").err()).contains("--transport must be one of");
        assertThat(run("--log-level", "loud").err()).contains("unknown log level");
        assertThat(run("--max-hops", "0").exit()).isEqualTo(2);
        assertThat(run("--no-such-flag").exit()).isEqualTo(2);
    }

    @Test
    void an_unusable_node_list_exits_with_2_before_binding(@TempDir Path dir) throws Exception {
        Run bad = run("--host", "127.0.0.1", "--port", "0", "--nodes", "{not json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--nodes is not valid JSON");
        Run notArray = run("--host", "127.0.0.1", "--port", "0", "--nodes", "{\"name\":\"n\"}");
        assertThat(notArray.exit()).isEqualTo(2);
        assertThat(notArray.err()).contains("must be a JSON array");
        Run missing = run("--host", "127.0.0.1", "--port", "0", "--config", dir.resolve("absent.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot be read");
        Path file = dir.resolve("obj.json");
        Files.writeString(file, "{}");
        assertThat(run("--host", "127.0.0.1", "--port", "0", "--config", file.toString()).exit()).isEqualTo(2);
    }

    @Test
    void the_config_refuses_what_the_command_line_would() {
        GatewayConfig d = GatewayConfig.defaults();
        assertThatThrownBy(() -> d.toBuilder().host(" ").build()).hasMessageContaining("--host");
        assertThatThrownBy(() -> d.toBuilder().responseTimeout(Duration.ZERO).build())
                .hasMessageContaining("--response-timeout");
        assertThatThrownBy(() -> d.toBuilder().metricsTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("--metrics-timeout");
        assertThatThrownBy(() -> d.toBuilder().ioThreads(-1).build()).hasMessageContaining("--io-threads");
        assertThatThrownBy(() -> d.toBuilder().heartbeatUrl("http://:80/x").build())
                .hasMessageContaining("--heartbeat-url");
        assertThat(d.withListen("127.0.0.1", 0).port()).isZero();
    }
}
