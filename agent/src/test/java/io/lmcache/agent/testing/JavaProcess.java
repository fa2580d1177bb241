package io.lmcache.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A launched process whose merged output is collected line by line; {@link #close()} kills what is left. */
public final class JavaProcess implements AutoCloseable {
    public final Process process;
    public final List<String> output = new CopyOnWriteArrayList<>();

    private JavaProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "process-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static JavaProcess start(List<String> command, Path directory, Map<String, String> extraEnv)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
        pb.environment().putAll(extraEnv);
        return new JavaProcess(pb.start());
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("lmcache.project.root", "..")).toAbsolutePath().normalize();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a line matching {@code pattern} and returns its first group. */
    public String awaitGroup(Pattern pattern, Duration timeout) {
        String[] found = new String[1];
        await().atMost(timeout).until(() -> {
            for (String line : output) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    found[0] = m.group(1);
                    return true;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("process exited early (" + process.exitValue() + "): " + text());
            }
            return false;
        });
        return found[0];
    }

    public String text() {
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
