package io.lmcache.gateway.system;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool check metrics} (Debian package {@code prometheus}) with the acceptance rule of the metrics tests
 * ({@code io.lmcache.gateway.metrics.Promtool}, package-private there): exit 0, or exit 3 (lint findings only, the text
 * parsed) where every finding is one of the naming lints the merge cannot fix because the nodes chose those names.
 */
final class SystemPromtool {
    static final File BINARY = new File("/usr/bin/promtool");

    /** LMCache names contain ':', some families lack HELP, the simulator has a gauge named {@code ..._count}. */
    static final List<String> TOLERATED_LINT = List.of("metric names should not contain ':'", "no help text",
            "non-histogram and non-summary metrics should not have \"_count\" suffix");

    record Result(int exitCode, String output) {
        boolean acceptable() {
            if (exitCode == 0) {
                return true;
            }
            return exitCode == 3 && output.lines().filter(l -> !l.isBlank())
                    .allMatch(l -> TOLERATED_LINT.stream().anyMatch(l::contains));
        }
    }

    private SystemPromtool() {
    }

    static boolean available() {
        return BINARY.canExecute();
    }

    static Result check(String metricsText) throws IOException, InterruptedException {
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
