package io.lmcache.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process launched by a test (usually {@code java -jar} of a module's jar) whose merged stdout/stderr is collected
 * line by line on a daemon thread; {@link #output} is safe to read from any thread while it grows.
 *
 * <p>{@link #terminate} sends SIGTERM with {@code kill -TERM} rather than {@link Process#destroy()}: destroy() closes
 * our end of the output at once, and the shutdown lines would be lost. {@link #close()} always leaves nothing running.
 */
public final class JavaProcess implements AutoCloseable {
    /** How long the reader may take to hand over the last lines after the process ended. */
    private static final long READER_DRAIN_MILLIS = 5_000;
    private static final long FORCED_EXIT_WAIT_SECONDS = 10;

    public final Process process;
    public final List<String> output = new CopyOnWriteArrayList<>();
    private final String name;
    private final Thread reader;

    private JavaProcess(Process process, String name, Path log) {
        this.process = process;
        this.name = name;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter copy = log == null ? null
                    : new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (copy != null) {
                        copy.println(line);
                        copy.flush();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code command} in {@code directory} with {@code extraEnv} added to this JVM's environment. */
    public static JavaProcess start(List<String> command, Path directory, Map<String, String> extraEnv)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
        pb.environment().putAll(extraEnv);
        return new JavaProcess(pb.start(), Path.of(command.get(0)).getFileName().toString(), null);
    }

    /** {@code java -Dio.netty.leakDetection.level=paranoid -Xmx256m -jar <jar> args...}. */
    public static JavaProcess jar(Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Dio.netty.leakDetection.level=paranoid", "-Xmx256m",
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start(),
                jar.getFileName().toString(), null);
    }

    /**
     * {@code java <jvmOptions> -jar <jar> args...} named {@code name}, its output also copied line by line to
     * {@code <logDirectory>/<name>.log} for a post-mortem.
     */
    public static JavaProcess jar(String name, List<String> jvmOptions, Path logDirectory, Path jar, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(logDirectory);
        return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), name,
                logDirectory.resolve(name + ".log"));
    }

    /** A module's built jar, {@code <root>/<module>/target/<name>}; fails the test if it has not been packaged. */
    public static Path moduleJar(String module, String name) {
        Path jar = projectRoot().resolve(module).resolve("target").resolve(name);
        assertThat(jar).as("run after package").isRegularFile();
        return jar;
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("lmcache.project.root", "..")).toAbsolutePath().normalize();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a line matching {@code pattern} and returns its first group; fails at once if the process exits. */
    public String awaitGroup(Pattern pattern, Duration timeout) {
        return awaitMatches(pattern, 1, timeout).get(0).group(1);
    }

    /**
     * Waits until at least {@code count} lines match {@code pattern} (e.g. the simulator's line per node) and returns
     * their matches in output order; fails at once if the process exits before.
     */
    public List<Matcher> awaitMatches(Pattern pattern, int count, Duration timeout) {
        List<Matcher> found = new ArrayList<>();
        await().atMost(timeout).until(() -> {
            found.clear();
            for (String line : output) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    found.add(m);
                }
            }
            if (found.size() >= count) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited early (" + process.exitValue() + "): " + text());
            }
            return false;
        });
        return found;
    }

    /** Waits for a line that {@code matches}. */
    public void awaitLine(Predicate<String> matches, Duration timeout) {
        await().atMost(timeout).until(() -> output.stream().anyMatch(matches));
    }

    /** Waits for the process to end by itself and for its last lines; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("exited: %s", output).isTrue();
        reader.join(READER_DRAIN_MILLIS);
        return process.exitValue();
    }

    /** Sends SIGTERM and waits (bounded) for the process to stop and its last lines to be read. */
    public void terminate(Duration timeout) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        boolean stopped = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!stopped) {
            close();
        }
        assertThat(stopped).as("stopped after SIGTERM: %s", output).isTrue();
        reader.join(READER_DRAIN_MILLIS);
    }

    /**
     * Sends SIGTERM, waits at most {@code timeout} for the process to end and its last lines to be read, and kills it
     * if it has not; true if SIGTERM sufficed (or it had already ended). Unlike {@link #terminate}, asserts nothing.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start()
                        .waitFor(FORCED_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no kill binary: the forced stop below ends it
            }
        }
        boolean graceful = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!graceful) {
            close();
        }
        reader.join(READER_DRAIN_MILLIS);
        return graceful;
    }

    /** Netty's leak detector (at paranoid in {@link #jar}) reported nothing. */
    public void assertNoLeak() {
        assertThat(output).noneMatch(l -> l.contains("LEAK:"));
    }

    /** The name given at launch (the jar's file name unless one was given), for messages. */
    public String name() {
        return name;
    }

    public String text() {
        return String.join("\n", output);
    }

    /** Kills what is left of the process. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(FORCED_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
