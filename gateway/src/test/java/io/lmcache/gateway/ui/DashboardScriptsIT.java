package io.lmcache.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's helper modules, run in the real browser: imported from the served files into a page of the same
 * origin (the CSP allows same-origin module imports), called, and their results compared.
 */
class DashboardScriptsIT {
    private static HttpServer server;
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        Router router = new Router();
        UiRoutes.register(router, StaticAssets.load(DashboardScriptsIT.class.getClassLoader()));
        server = HttpServer.startLocal("ui-scripts", "127.0.0.1", 0, Transport.select("nio"), 1, HttpLimits.DEFAULTS, router);
        chromium = HeadlessChromium.start(1000, 800);
        driver = chromium.driver();
        driver.get("http://127.0.0.1:" + server.port() + "/"); // an HTML document of the dashboard's origin
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Runs {@code body} with the module at {@code module} bound to {@code m}; returns what body returns. */
    private static Object call(String module, String body) {
        return driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('" + module + "').then(async m => done(await (async () => { " + body + " })()))"
                + ".catch(e => done('ERROR ' + e));");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_prometheus_parser_reads_escaped_labels_colons_in_names_infinities_and_timestamps() {
        String text = "# HELP lmcache:hits Hits \\\\ with \\n escapes\\n"
                + "# TYPE lmcache:hits counter\\n"
                + "lmcache:hits_total{node=\\\"a \\\\\\\"quoted\\\\\\\" \\\\\\\\ back\\\",model_name=\\\"m,x\\\"} 42 1700000000000\\n"
                + "\\n"
                + "bucket_le{le=\\\"+Inf\\\"} +Inf\\n"
                + "plain 3.5e2\\n"
                + "spaced{ a = \\\"1\\\" , } 7\\n";
        List<Map<String, Object>> samples = (List<Map<String, Object>>) call("/static/js/api.js",
                "return m.parsePrometheus(\"" + text + "\");");

        assertThat(samples).hasSize(4);
        assertThat(samples.get(0).get("name")).isEqualTo("lmcache:hits_total");
        assertThat((Map<String, Object>) samples.get(0).get("labels"))
                .containsEntry("node", "a \"quoted\" \\ back").containsEntry("model_name", "m,x");
        assertThat(((Number) samples.get(0).get("value")).doubleValue()).isEqualTo(42.0);
        assertThat(samples.get(1).get("name")).isEqualTo("bucket_le");
        assertThat(samples.get(2).get("name")).isEqualTo("plain");
        assertThat(((Number) samples.get(2).get("value")).doubleValue()).isEqualTo(350.0);
        assertThat((Map<String, Object>) samples.get(3).get("labels")).containsEntry("a", "1");
    }

    @Test
    void node_urls_keep_any_name_inside_one_path_segment() {
        assertThat(call("/static/js/api.js", "return m.nodeUrl('a/b?c#d <e>', 'api/status');"))
                .isEqualTo("/proxy2/a%2Fb%3Fc%23d%20%3Ce%3E/api/status");
    }

    @Test
    void secret_looking_keys_are_recognised_and_ordinary_ones_are_not() {
        assertThat(call("/static/js/api.js", "return ['HF_TOKEN','AWS_SECRET_ACCESS_KEY','DB_PASSWORD',"
                + "'GOOGLE_APPLICATION_CREDENTIALS','OPENAI_API_KEY','PATH','HOME','LMCACHE_CHUNK_SIZE']"
                + ".map(k => m.looksSecret(k));"))
                .isEqualTo(List.of(true, true, true, true, true, false, false, false));
    }

    @Test
    void the_fan_out_helper_never_runs_more_than_its_limit_and_keeps_the_order() {
        Object result = call("/static/js/api.js", "let running = 0, peak = 0;"
                + "const out = await m.mapLimited([...Array(12).keys()], 4, async i => {"
                + "  running++; peak = Math.max(peak, running);"
                + "  await new Promise(r => setTimeout(r, 5 + (i % 3) * 5));"
                + "  running--; return i * 2; });"
                + "return {peak, out};");

        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) result;
        assertThat(((Number) map.get("peak")).intValue()).isBetween(1, 4);
        assertThat(map.get("out")).isEqualTo(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L, 22L));
    }

    @Test
    void sizes_and_counts_are_shown_in_1024_and_1000_steps() {
        assertThat(call("/static/js/dom.js", "return [m.formatBytes(0), m.formatBytes(1023), m.formatBytes(1536),"
                + "m.formatBytes(8 * 1024 ** 3), m.formatCount(999), m.formatCount(1500), m.formatCount(2500000),"
                + "m.formatPercent(0.855), m.formatPercent(null)];"))
                .isEqualTo(List.of("0 B", "1023 B", "1.50 KB", "8.00 GB", "999", "1.5K", "2.50M", "85.5%", "N/A"));
    }

    @Test
    void usage_bars_turn_amber_above_70_and_red_above_90_percent() {
        assertThat(call("/static/js/dom.js", "return [0.5, 0.71, 0.91].map(f => m.usageBar(f).className);"))
                .isEqualTo(List.of("bar", "bar warn", "bar bad"));
    }
}
