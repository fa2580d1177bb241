package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.nodes.Route;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of parse + merge: each directory under {@code src/test/resources/metrics/} holds one node body per
 * file ({@code <order>-<node>.prom} for text 0.0.4, {@code .om} for OpenMetrics) and {@code expected.txt}, the exact
 * merged output including the per-node scrape families (durations fixed at 0). Run with
 * {@code -Dmetrics.golden.update=true} to rewrite the expected files after a deliberate change, then review the diff.
 */
class MetricsGoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("metrics.golden.update");

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_merged_output_matches_the_golden_file(String name) throws Exception {
        Path dir = root().resolve(name);
        String actual = mergeDirectory(dir);
        Path expectedFile = dir.resolve("expected.txt");
        if (UPDATE) {
            Files.writeString(sourceTree(expectedFile), actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void promtool_accepts_the_merged_output(String name) throws Exception {
        assumeTrue(Promtool.available(), "promtool is not installed (Debian package prometheus)");
        Promtool.Result result = Promtool.check(mergeDirectory(root().resolve(name)));
        assertThat(result.acceptable()).as("promtool exit %s:%n%s", result.exitCode(), result.output()).isTrue();
    }

    static String mergeDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".prom") || p.toString().endsWith(".om")).sorted().toList();
        }
        List<NodeScrape> scrapes = new ArrayList<>();
        List<Exposition> sources = new ArrayList<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            String node = file.substring(file.indexOf('-') + 1, file.lastIndexOf('.'));
            String contentType = file.endsWith(".om")
                    ? "application/openmetrics-text; version=1.0.0; charset=utf-8" : "text/plain; version=0.0.4";
            Route route = new Route(node, HttpTarget.of("127.0.0.1", 9000 + scrapes.size()), "");
            try {
                Exposition e = ExpositionParser.parse(Files.readString(f, StandardCharsets.UTF_8), contentType, node,
                        MetricsLimits.DEFAULT_MAX_SAMPLES_PER_NODE);
                sources.add(e);
                scrapes.add(new NodeScrape(route, e, null, 0, null));
            } catch (InvalidExpositionException ex) {
                scrapes.add(new NodeScrape(route, null, ex.getMessage(), 0, null));
            }
        }
        sources.add(ScrapeStats.of(scrapes));
        StringBuilder out = new StringBuilder();
        MetricsMerger.render(MetricsMerger.merge(sources), out::append);
        return out.toString();
    }

    private static Path root() throws URISyntaxException {
        return Paths.get(MetricsGoldenTest.class.getResource("/metrics").toURI());
    }

    /** target/test-classes/metrics/x → src/test/resources/metrics/x */
    private static Path sourceTree(Path inTarget) {
        String s = inTarget.toString().replace("/target/test-classes/", "/src/test/resources/");
        return Paths.get(s);
    }
}
