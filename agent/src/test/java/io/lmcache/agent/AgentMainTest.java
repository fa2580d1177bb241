package io.lmcache.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad flags end with exit code 2 and a message naming the problem; nothing starts. */
class AgentMainTest {
    private record Outcome(int code, String err, String out) {
    }

    private static Outcome run(String... args) {
        CommandLine cl = AgentMain.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(args);
        return new Outcome(code, err.toString(), out.toString());
    }

    @Test
    void a_missing_heartbeat_url_is_a_usage_error() {
        Outcome o = run("--port", "8085");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--heartbeat-url is required");
    }

    @Test
    void bad_values_are_usage_errors_with_the_reason() {
        assertThat(run("--heartbeat-url", "ftp://x/heartbeat").err()).contains("must start with http://");
        assertThat(run("--heartbeat-url", "http://x/heartbeat", "--heartbeat-interval", "soon").err())
                .contains("not a duration");
        assertThat(run("--heartbeat-url", "http://x/heartbeat", "--nodes", "[{]").err()).contains("not valid JSON");
        assertThat(run("--heartbeat-url", "http://x/heartbeat", "--port", "0").err()).contains("out of range");
        assertThat(run("--heartbeat-url", "http://x/heartbeat", "--log-level", "loud").err())
                .contains("unknown log level");
        assertThat(run("--bogus").code()).isEqualTo(2);
    }

    @Test
    void simulate_refuses_bad_flags() {
        assertThat(run("simulate", "--count", "0").err()).contains("--count");
        assertThat(run("simulate", "--failure-rate", "2").err()).contains("failure rate");
        assertThat(run("simulate", "--heartbeat-url", "nope").code()).isEqualTo(2);
    }

    @Test
    void help_explains_every_command() {
        Outcome o = run("--help");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("--heartbeat-url", "--heartbeat-interval", "--report-host", "--nodes", "--pid",
                "--no-http", "plugin", "simulate");
        assertThat(run("simulate", "--help").out()).contains("--count", "--base-port", "--latency", "--failure-rate");
        assertThat(run("plugin", "--help").out()).contains("LMCACHE_RUNTIME_PLUGIN_CONFIG");
    }
}
