package io.lmcache.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless Chromium against {@link HostileFleet}, whose node names, hosts, statuses, metrics, env
 * values and thread names are all markup that would run script if it reached the HTML parser.
 */
class DashboardSafetyIT {
    private static HostileFleet fleet;
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        fleet = new HostileFleet();
        chromium = HeadlessChromium.start(1400, 1000);
        driver = chromium.driver();
        driver.get("http://127.0.0.1:" + fleet.port() + "/");
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void hostile_node_data_renders_as_text_on_every_tab_and_nothing_runs() {
        WebElement leaf = awaitLeaf(HostileFleet.EVIL_NAME);
        assertThat(leaf.findElement(By.cssSelector(".name")).getText()).isEqualTo(HostileFleet.EVIL_NAME);
        assertThat(leaf.findElement(By.cssSelector(".addr")).getText()).isEqualTo(HostileFleet.EVIL_HOST + ":9000");
        assertThat(driver.findElement(By.cssSelector(".tree-item.proxy .name")).getText()).isEqualTo(HostileFleet.EVIL_PROXY);

        clickLeaf(HostileFleet.EVIL_NAME);
        driver.findElement(By.cssSelector(".tab[data-tab='overview']")).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("tab-body")).getText()).contains("<img src=g onerror=alert(10)>")
                        .contains("<svg onload=alert(11)>").contains("<img src=v onerror=alert(5)>"));
        assertThat(driver.findElement(By.id("node-title")).getText()).isEqualTo(HostileFleet.EVIL_NAME);

        openTab("metrics", "<svg onload=alert(4)>");
        openTab("threads", "<img src=t onerror=alert(6)>");
        openTab("loglevel", "<img src=l onerror=alert(7)>");
        openTab("config", "<img src=c onerror=alert(8)>");
        openTab("env", "<img src=e onerror=alert(9)>");

        assertNoInjectedMarkup();
    }

    @Test
    void node_names_are_url_encoded_into_proxy2_paths() {
        clickLeaf(HostileFleet.EVIL_NAME);
        String encoded = "/proxy2/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/";
        await().atMost(Duration.ofSeconds(20)).until(() ->
                fleet.rawTargets.stream().anyMatch(t -> t.equals(encoded + "status")));
        assertThat(fleet.rawTargets).allSatisfy(t -> assertThat(t).doesNotContain("<").doesNotContain(" "));
    }

    @Test
    void secret_looking_environment_values_stay_masked_until_clicked() {
        clickLeaf(HostileFleet.EVIL_NAME);
        openTab("env", "HF_TOKEN");
        WebElement body = driver.findElement(By.id("tab-body"));
        assertThat(body.getText()).contains("PATH").contains("/usr/bin").doesNotContain(HostileFleet.SECRET_VALUE);

        body.findElement(By.cssSelector("button.masked")).click();

        assertThat(body.getText()).contains(HostileFleet.SECRET_VALUE);
    }

    @Test
    void the_env_filter_asks_every_node_at_most_four_at_a_time_and_narrows_the_tree() {
        awaitLeaf(HostileFleet.EVIL_NAME);
        int before = fleet.envRequests.get();
        fleet.envPeak.set(0);
        WebElement input = driver.findElement(By.id("env-filter"));
        input.clear();
        input.sendKeys("PATH=/usr/bin");
        driver.findElement(By.cssSelector("#env-filter-form button[type=submit]")).click();

        int nodes = HostileFleet.nodeNames().size();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("env-filter-status")).getText())
                        .isEqualTo(nodes + " of " + nodes + " node(s) match PATH=/usr/bin"));
        assertThat(fleet.envRequests.get() - before).isEqualTo(nodes);
        assertThat(fleet.envPeak.get()).isBetween(1, 4);

        input.clear();
        input.sendKeys("PATH=/elsewhere");
        driver.findElement(By.cssSelector("#env-filter-form button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(driver.findElement(By.id("env-filter-status")).getText()).startsWith("0 of " + nodes);
            assertThat(driver.findElement(By.id("tree")).getText()).contains("No matching nodes found.");
        });

        driver.findElement(By.id("env-filter-clear")).click();
        awaitLeaf(HostileFleet.EVIL_NAME);
    }

    @Test
    void the_page_loads_only_from_its_own_origin_and_breaks_no_content_security_rule() {
        awaitLeaf(HostileFleet.EVIL_NAME);
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat(performance.getEntriesByType('navigation').map(e => e.name));");
        String origin = "http://127.0.0.1:" + fleet.port() + "/";
        assertThat(resources).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(resources).anySatisfy(url -> assertThat(url).endsWith("/static/vendor/uPlot.iife.min.js"));
        assertThat(chromium.consoleLog()).noneSatisfy(entry ->
                assertThat(entry.getMessage()).containsIgnoringCase("Content Security Policy"));
    }

    @Test
    void a_node_without_status_falls_back_to_its_version_and_hides_the_tabs_it_does_not_serve() {
        clickLeaf(HostileFleet.OLD_NODE);
        driver.findElement(By.cssSelector(".tab[data-tab='overview']")).click();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String body = driver.findElement(By.id("tab-body")).getText();
            assertThat(body).contains("Not available").contains("HTTP 404").contains("<img src=v onerror=alert(5)>");
            assertThat(driver.findElement(By.cssSelector(".tab[data-tab='threads']")).isDisplayed()).isFalse();
        });
        assertThat(driver.findElement(By.cssSelector(".tab[data-tab='metrics']")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.cssSelector(".tab[data-tab='env']")).isDisplayed()).isTrue();
    }

    @Test
    void a_node_that_never_answers_times_out_in_its_own_card_while_the_rest_of_the_page_works() {
        clickLeaf(HostileFleet.SLOW_NODE);
        driver.findElement(By.cssSelector(".tab[data-tab='overview']")).click();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = driver.findElement(By.id("tab-body")).getText();
            assertThat(body).contains("Healthy").contains("<img src=v onerror=alert(5)>");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("tab-body")).getText()).contains("Not available").contains("Timed out"));
        openTab("env", "PATH");
    }

    @Test
    void status_dots_show_up_stale_and_down_from_heartbeat_state_and_the_last_scrape() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(dotOf(HostileFleet.EVIL_NAME)).isEqualTo("dot up");
            assertThat(dotOf(HostileFleet.DOWN_NODE)).isEqualTo("dot down");
            assertThat(dotOf(HostileFleet.STALE_NODE)).isEqualTo("dot stale");
            assertThat(dotOf(HostileFleet.SLOW_NODE)).isEqualTo("dot up");
        });
    }

    @Test
    void the_search_narrows_the_tree_to_matching_names() {
        awaitLeaf(HostileFleet.EVIL_NAME);
        WebElement search = driver.findElement(By.id("node-search"));
        search.sendKeys("plain-1");
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(driver.findElements(By.cssSelector(".tree-item.leaf")).stream()
                            .map(e -> e.getDomAttribute("data-node")).toList())
                            .containsExactly("plain-1", "plain-10", "plain-11"));
            search.sendKeys("x");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(driver.findElement(By.id("tree")).getText()).contains("No matching nodes found."));
        } finally {
            search.clear();
            search.sendKeys(" ");
            search.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        }
        awaitLeaf(HostileFleet.EVIL_NAME);
    }

    private static String dotOf(String leaf) {
        WebElement button = findLeaf(leaf);
        return button == null ? null : button.findElement(By.cssSelector(".dot")).getDomAttribute("class");
    }

    /** Clicks a leaf, retrying if a refresh replaced the element between finding and clicking it. */
    private static void clickLeaf(String name) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            findLeaf(name).click();
            return true;
        });
    }

    private static WebElement awaitLeaf(String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> findLeaf(name), e -> e != null);
    }

    private static WebElement findLeaf(String name) {
        for (WebElement e : driver.findElements(By.cssSelector(".tree-item.leaf"))) {
            if (name.equals(e.getDomAttribute("data-node"))) {
                return e;
            }
        }
        return null;
    }

    private static void openTab(String tab, String expectedText) {
        WebElement button = driver.findElement(By.cssSelector(".tab[data-tab='" + tab + "']"));
        assertThat(button.isDisplayed()).as(tab + " tab shown").isTrue();
        button.click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("tab-body")).getText()).contains(expectedText));
    }

    private static void assertNoInjectedMarkup() {
        Long injected = (Long) driver.executeScript(
                "return document.querySelectorAll('img:not(.brand-logo), svg, script:not([src]), b, i, u').length;");
        assertThat(injected).isZero();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }
}
