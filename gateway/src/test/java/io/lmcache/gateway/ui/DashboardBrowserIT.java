package io.lmcache.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.agent.heartbeat.HeartbeatService;
import io.lmcache.agent.sim.SimulatedMpServer;
import io.lmcache.agent.sim.SimulatorOptions;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.http.Json;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.Gateway;
import io.lmcache.gateway.config.GatewayConfig;
import io.lmcache.gateway.demo.DemoFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless Chromium against the real thing: a demo fleet (gateway with embedded discovery, one
 * simulated MP node beating to it) plus a child gateway with three more simulated nodes, which registers with the
 * parent by heartbeat too, so the parent's tree has a proxy with children reached through the cascade.
 *
 * <p>With {@code -Dlmcache.dashboard.screenshot=<file>} it also saves a screenshot of the populated dashboard.
 */
class DashboardBrowserIT {
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    private static final int CHILD_NODES = 3;

    private static DemoFleet parent;
    private static Gateway child;
    private static HttpFetcher fetcher;
    private static final List<SimulatedMpServer> childServers = new ArrayList<>();
    private static final List<HeartbeatService> heartbeats = new ArrayList<>();
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;
    /** Leaf name → proxy name, as the parent's /api/nodes lists them once every node has registered. */
    private static Map<String, String> leaves;
    private static String childProxyName;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        parent = DemoFleet.start(new DemoFleet.Settings("127.0.0.1", 0, 1, HEARTBEAT_INTERVAL, Duration.ofMillis(500)));
        child = Gateway.start(GatewayConfig.defaults().toBuilder().host("127.0.0.1").port(0)
                .refreshInterval(Duration.ofMillis(500)).build());
        fetcher = new HttpFetcher(Transport.select("nio"));
        String childHeartbeat = "http://127.0.0.1:" + child.port() + "/lmcache_heartbeat";
        for (int i = 1; i <= CHILD_NODES; i++) {
            SimulatedMpServer sim = SimulatedMpServer.start(SimulatorOptions.builder()
                    .host("127.0.0.1").port(0).name("child-" + i).seed(100 + i).ioThreads(1).build());
            childServers.add(sim);
            beat(sim.port(), childHeartbeat);
        }
        // The child gateway joins the parent as one address; the parent probes it and finds a gateway.
        beat(child.port(), "http://127.0.0.1:" + parent.gateway().port() + "/lmcache_heartbeat");

        leaves = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(DashboardBrowserIT::parentLeaves, l -> l.size() == 1 + CHILD_NODES);
        childProxyName = leaves.entrySet().stream()
                .filter(e -> !e.getKey().equals(e.getValue())).map(Map.Entry::getValue).findFirst().orElseThrow();

        chromium = HeadlessChromium.start(1440, 1000);
        driver = chromium.driver();
        driver.get(parent.url());
    }

    private static void beat(int reportPort, String heartbeatUrl) {
        HeartbeatService heartbeat = new HeartbeatService(fetcher, reportPort, "127.0.0.1",
                () -> List.of(HttpTarget.of("127.0.0.1", reportPort)), 0);
        heartbeats.add(heartbeat);
        heartbeat.start(heartbeatUrl, Duration.ZERO, HEARTBEAT_INTERVAL);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        heartbeats.forEach(HeartbeatService::close);
        childServers.forEach(SimulatedMpServer::close);
        if (child != null) {
            child.close();
        }
        if (parent != null) {
            parent.close();
        }
        if (fetcher != null) {
            fetcher.close();
        }
    }

    @Test
    void the_tree_lists_every_node_that_registered_by_heartbeat() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(treeLeafNames()).containsExactlyInAnyOrderElementsOf(leaves.keySet()));
        assertThat(leaves.keySet()).hasSize(1 + CHILD_NODES);
        Set<String> ports = new TreeSet<>();
        childServers.forEach(s -> ports.add(String.valueOf(s.port())));
        parent.servers().forEach(s -> ports.add(String.valueOf(s.port())));
        String tree = driver.findElement(By.id("tree")).getText();
        ports.forEach(port -> assertThat(tree).contains(port));
    }

    @Test
    void expanding_a_proxy_shows_its_children_and_collapsing_hides_them() {
        WebElement proxy = await().atMost(Duration.ofSeconds(30)).until(() -> proxyButton(childProxyName), e -> e != null);
        List<String> children = leaves.entrySet().stream()
                .filter(e -> e.getValue().equals(childProxyName)).map(Map.Entry::getKey).toList();
        assertThat(children).hasSize(CHILD_NODES);
        if ("true".equals(proxy.getDomAttribute("aria-expanded"))) {
            proxy.click();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(proxyButton(childProxyName).getDomAttribute("aria-expanded")).isEqualTo("false");
            assertThat(treeLeafNames()).doesNotContainAnyElementsOf(children);
        });

        proxyButton(childProxyName).click();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(proxyButton(childProxyName).getDomAttribute("aria-expanded")).isEqualTo("true");
            assertThat(treeLeafNames()).containsAll(children);
        });
    }

    @Test
    void selecting_a_node_behind_the_child_gateway_fills_its_overview_from_the_simulated_status() {
        String name = leaves.entrySet().stream()
                .filter(e -> e.getValue().equals(childProxyName)).map(Map.Entry::getKey).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            leafButton(name).click();
            return true;
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = driver.findElement(By.id("tab-body")).getText();
            assertThat(body).contains("MPCacheEngine").contains("blake3").contains("256").contains("Healthy")
                    .contains(SimulatorOptions.DEFAULT_VERSION).containsPattern("\\d+(\\.\\d+)? [KMGT]?B / \\d");
        });
        assertThat(driver.findElement(By.id("node-title")).getText()).isEqualTo(name);
        List<String> visibleTabs = driver.findElements(By.cssSelector("#tabs .tab")).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
        assertThat(visibleTabs).containsExactly("Overview", "Metrics", "Threads", "Log Level", "Config", "Environment");

        driver.findElement(By.cssSelector(".tab[data-tab='metrics']")).click();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("tab-body")).getText()).contains("lmcache:num_retrieve_requests_total"));

        driver.findElement(By.cssSelector(".tab[data-tab='loglevel']")).click();
        WebElement form = await().atMost(Duration.ofSeconds(30)).until(
                () -> driver.findElements(By.cssSelector("#tab-body form")).stream().findFirst().orElse(null), f -> f != null);
        form.findElement(By.cssSelector("input")).sendKeys("lmcache");
        new org.openqa.selenium.support.ui.Select(form.findElement(By.cssSelector("select"))).selectByValue("DEBUG");
        form.findElement(By.cssSelector("button")).click();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(driver.findElement(By.id("tab-body")).getText()).contains("lmcache: DEBUG"));
    }

    @Test
    void the_fleet_overview_draws_live_charts_and_per_node_numbers() throws Exception {
        driver.findElement(By.id("tree-fleet")).click();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Long drawn = (Long) driver.executeScript("return Array.from(document.querySelectorAll('#fleet-charts .uplot canvas'))"
                    + ".filter(c => c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0).length;");
            assertThat(drawn).isGreaterThanOrEqualTo(3);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String table = driver.findElement(By.id("fleet-table")).getText();
            for (String leaf : leaves.keySet()) {
                assertThat(table).containsPattern(java.util.regex.Pattern.quote(leaf) + "\\s+127\\.0\\.0\\.1:\\d+\\s+up\\s+\\d+\\.\\d%");
            }
        });
        String screenshot = System.getProperty("lmcache.dashboard.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            // Let a few polls fill the charts before the picture for the README.
            await().pollDelay(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(30)).until(() -> true);
            driver.executeScript("window.scrollTo(0, 0)");
            Files.write(Path.of(screenshot), driver.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void nothing_is_requested_from_another_origin_and_no_content_security_rule_is_broken() {
        await().atMost(Duration.ofSeconds(30)).until(() -> treeLeafNames().size() >= 1);
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat(performance.getEntriesByType('navigation').map(e => e.name));");
        String origin = parent.url();
        assertThat(resources).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(chromium.consoleLog()).noneSatisfy(entry ->
                assertThat(entry.getMessage()).containsIgnoringCase("Content Security Policy"));
    }

    private static Map<String, String> parentLeaves() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + parent.gateway().port() + "/api/nodes"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> found = new TreeMap<>();
            for (JsonNode proxy : Json.MAPPER.readTree(r.body()).path("nodes")) {
                for (JsonNode leaf : proxy.path("children")) {
                    found.put(leaf.path("name").asText(), proxy.path("name").asText());
                }
            }
            return found;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static List<String> treeLeafNames() {
        return driver.findElements(By.cssSelector("#tree .tree-item.leaf")).stream()
                .map(e -> e.getDomAttribute("data-node")).toList();
    }

    private static WebElement leafButton(String name) {
        return driver.findElements(By.cssSelector("#tree .tree-item.leaf")).stream()
                .filter(e -> name.equals(e.getDomAttribute("data-node"))).findFirst().orElse(null);
    }

    private static WebElement proxyButton(String name) {
        return driver.findElements(By.cssSelector("#tree .tree-item.proxy")).stream()
                .filter(e -> name.equals(e.getDomAttribute("data-node"))).findFirst().orElse(null);
    }
}
