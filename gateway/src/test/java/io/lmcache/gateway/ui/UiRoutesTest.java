package io.lmcache.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's routes on a real loopback server: content types, caching, security headers, 404s, traversal. */
class UiRoutesTest {
    private static HttpServer server;
    private static int port;

    @BeforeAll
    static void start() throws InterruptedException {
        Router router = new Router();
        UiRoutes.register(router, StaticAssets.load(UiRoutesTest.class.getClassLoader()));
        server = HttpServer.startLocal("ui-test", "127.0.0.1", 0, Transport.select("nio"), 1, HttpLimits.DEFAULTS, router);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_page_is_served_at_the_root_with_its_title_and_a_strict_content_security_policy() throws IOException {
        RawHttp.Response r = RawHttp.get(port, "/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.text()).contains("<title>LMCache Dashboard</title>").contains("LMCache Cluster Monitoring");
        String csp = r.header("content-security-policy");
        assertThat(csp).contains("default-src 'self'").contains("script-src 'self'").contains("object-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("http");
        assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.header("etag")).matches("\"[0-9a-f]{32}\"");
        assertThat(r.header("cache-control")).isEqualTo("no-cache");
    }

    @Test
    void the_page_has_no_inline_script_and_loads_nothing_from_another_origin() throws IOException {
        String html = RawHttp.get(port, "/").text();

        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContainPattern("(src|href)=\"(https?:)?//")
                .doesNotContainPattern("\\son[a-z]+=");
    }

    @Test
    void scripts_styles_and_images_carry_their_content_types() throws IOException {
        assertThat(RawHttp.get(port, "/static/js/app.js").header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(RawHttp.get(port, "/static/css/style.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(RawHttp.get(port, "/static/img/logo.svg").header("content-type")).isEqualTo("image/svg+xml");
        assertThat(RawHttp.get(port, "/static/index.html").header("content-type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void uplot_is_served_from_the_webjar_byte_for_byte_and_cached_for_a_day() throws IOException {
        RawHttp.Response js = RawHttp.get(port, "/static/vendor/uPlot.iife.min.js");
        RawHttp.Response css = RawHttp.get(port, "/static/vendor/uPlot.min.css");

        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.body()).isEqualTo(webjar("uPlot.iife.min.js"));
        assertThat(js.header("cache-control")).isEqualTo("public, max-age=86400");
        assertThat(css.header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.body()).isEqualTo(webjar("uPlot.min.css"));
    }

    @Test
    void a_matching_etag_is_answered_not_modified_without_a_body() throws IOException {
        String etag = RawHttp.get(port, "/static/js/app.js").header("etag");

        RawHttp.Response again = RawHttp.get(port, "/static/js/app.js", "If-None-Match: " + etag);
        RawHttp.Response other = RawHttp.get(port, "/static/js/app.js", "If-None-Match: \"something-else\"");

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("etag")).isEqualTo(etag);
        assertThat(other.status()).isEqualTo(200);
    }

    @Test
    void head_gets_the_headers_without_the_body() throws IOException {
        RawHttp.Response r = RawHttp.send(port, "HEAD", "/static/css/style.css");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/nope.js", "/static/js/nope.js", "/static/", "/static/js", "/static/vendor/uPlot.js",
        "/favicon.ico", "/index.htm", "/static/a/b/c/d/e.js"})
    void unknown_files_are_404_with_a_detail(String target) throws IOException {
        RawHttp.Response r = RawHttp.get(port, target);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("{\"detail\":\"Not Found\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/../pom.xml", "/static/%2e%2e/pom.xml", "/static/%2E%2E/%2E%2E/pom.xml",
        "/static/..%2fpom.xml", "/static/js/../index.html", "/static/js/%2e%2e/index.html", "/static/./index.html",
        "/static/%2e/index.html", "/static/..%5cpom.xml", "/static/js%2fapp.js", "/static/js/app.js%00",
        "/static/../../../../etc/passwd", "/static/..", "/static/%2e%2e", "/static/.%2e/pom.xml",
        "/static/../gateway/pom.xml", "/static/../../META-INF/MANIFEST.MF",
        "/static/../io/lmcache/gateway/ui/UiRoutes.class"})
    void traversal_attempts_are_refused_whatever_their_encoding(String target) throws IOException {
        RawHttp.Response r = RawHttp.get(port, target);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("{\"detail\":\"Not Found\"}");
    }

    @Test
    void the_vendor_file_is_not_reachable_by_its_webjar_path() throws IOException {
        RawHttp.Response r = RawHttp.get(port, "/static/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");

        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void other_methods_on_the_page_are_405() throws IOException {
        assertThat(RawHttp.send(port, "POST", "/", "Content-Length: 0").status()).isEqualTo(405);
        assertThat(RawHttp.send(port, "DELETE", "/static/js/app.js").status()).isEqualTo(405);
    }

    @Test
    void every_served_asset_has_a_known_content_type_and_a_non_empty_body() {
        StaticAssets assets = StaticAssets.load(UiRoutesTest.class.getClassLoader());

        assertThat(assets.names()).contains("index.html", "js/app.js", "css/style.css", "vendor/uPlot.iife.min.js");
        for (String name : assets.names()) {
            StaticAssets.Asset asset = assets.find(name).orElseThrow();
            assertThat(asset.body()).as(name).isNotEmpty();
            assertThat(asset.contentType()).as(name).isNotBlank();
        }
    }

    @Test
    void the_scripts_never_assign_untrusted_text_as_html() throws IOException {
        StaticAssets assets = StaticAssets.load(UiRoutesTest.class.getClassLoader());
        for (String name : assets.names()) {
            if (name.startsWith("js/")) {
                String js = new String(assets.find(name).orElseThrow().body(), StandardCharsets.UTF_8);
                assertThat(js).as(name).doesNotContain("innerHTML").doesNotContain("outerHTML")
                        .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(");
            }
        }
    }

    private static byte[] webjar(String file) throws IOException {
        try (InputStream in = UiRoutesTest.class.getClassLoader().getResourceAsStream(StaticAssets.UPLOT_DIST + file)) {
            return in.readAllBytes();
        }
    }
}
