package io.lmcache.gateway.metrics;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} (Debian package {@code prometheus}) on a text. Exit 0 is clean, 3 means lint
 * findings only (the text parsed), anything else is a parse failure.
 */
public final class Promtool {
    public static final File BINARY = new File("/usr/bin/promtool");

    /**
     * Lint findings about names and HELP the nodes chose (the merge keeps names as they are): LMCache names contain
     * ':', some test inputs lack HELP, the simulator has a gauge named {@code ..._count}. Parse errors never pass.
     */
    public static final List<String> TOLERATED_LINT = List.of("metric names should not contain ':'", "no help text",
            "non-histogram and non-summary metrics should not have \"_count\" suffix");

    public record Result(int exitCode, String output) {
        /** True if promtool parsed the text and had no findings other than the tolerated ones. */
        public boolean acceptable() {
            if (exitCode == 0) {
                return true;
            }
            if (exitCode != 3) {
                return false;
            }
            return output.lines().filter(l -> !l.isBlank()).allMatch(l -> TOLERATED_LINT.stream().anyMatch(l::contains));
        }
    }

    private Promtool() {
    }

    public static boolean available() {
        return BINARY.canExecute();
    }

    public static Result check(String metricsText) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY.getPath(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(metricsText.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("promtool did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
