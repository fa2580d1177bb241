package io.lmcache.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real jar of the project running as its own process, launched as an operator would:
 * {@code java -Dio.netty.leakDetection.level=paranoid -jar <root>/<module>/target/<jar> args...}. Standard output and
 * error are captured line by line (and copied to {@code gateway/target/system-it/<label>.log} for a post-mortem).
 * {@link #stop()} sends SIGTERM first and only forces the process down after a bound.
 */
final class JarProcess implements AutoCloseable {
    /** How long a process may take to stop after SIGTERM before it is killed (it should need well under a second). */
    private static final long STOP_BOUND_SECONDS = 20;
    /** A start on a loaded 2-core machine, JIT and all: generous, since timings are never asserted here. */
    static final Duration START_BOUND = Duration.ofSeconds(45);

    /** A line of a Java stack trace ({@code \tat pkg.Class.method(File.java:12)}) or its cause/suppressed header. */
    private static final Pattern STACK_LINE =
            Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)$|^Caused by: |^\\s*Suppressed: |Exception in thread ");

    private final String label;
    private final Process process;
    private final Thread reader;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Pattern ready = Pattern.compile(".");

    private JarProcess(String label, Process process, Path logFile) {
        this.label = label;
        this.process = process;
        this.reader = new Thread(() -> copyOutput(logFile), "output-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code <root>/<module>/target/<jarName>} with the given arguments. */
    static JarProcess start(String label, String module, String jarName, String... args) throws IOException {
        Path root = Path.of(System.getProperty("lmcache.project.root", ".."));
        Path jar = root.resolve(module).resolve("target").resolve(jarName);
        assertThat(jar).as("%s: run after package", jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path logDir = root.resolve("gateway").resolve("target").resolve("system-it");
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new JarProcess(label, p, logDir.resolve(label + ".log"));
    }

    /** The discovery jar on {@code port}; {@link #awaitReady()} waits for its ready line. */
    static JarProcess discovery(String label, int port) throws IOException {
        return start(label, "discovery", "lmcache-discovery.jar", "--host", "127.0.0.1", "--port",
                Integer.toString(port)).readyWhen("discovery service ready on 127\\.0\\.0\\.1:" + port);
    }

    /** The gateway jar on 127.0.0.1:{@code port} with further options; ready when it prints its URL. */
    static JarProcess gateway(String label, int port, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        args.addAll(List.of(more));
        return start(label, "gateway", "lmcache-gateway.jar", args.toArray(String[]::new))
                .readyWhen("^Monitoring service running at http://127\\.0\\.0\\.1:" + port + "$");
    }

    /** The agent jar (sidecar, or {@code simulate ...}); its ready line depends on the mode, see {@link #readyWhen}. */
    static JarProcess agent(String label, String... args) throws IOException {
        return start(label, "agent", "lmcache-agent.jar", args);
    }

    /** Sets the output line (a regular expression) that {@link #awaitReady()} waits for. */
    JarProcess readyWhen(String regex) {
        this.ready = Pattern.compile(regex);
        return this;
    }

    /** Waits for the ready line; processes are started first and awaited after, so their start-ups overlap. */
    JarProcess awaitReady() {
        awaitLine(ready);
        return this;
    }

    /** A port that was free a moment ago: bound to 0, read, closed (the way an operator's script would pick one). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void copyOutput(Path logFile) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                log.println(line);
                log.flush();
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Waits for the first output line matching {@code pattern} and returns its match; fails if the process dies. */
    Matcher awaitLine(Pattern pattern) {
        Matcher[] found = new Matcher[1];
        await().atMost(START_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<Matcher> m = output.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
            if (m.isPresent()) {
                found[0] = m.get();
                return true;
            }
            assertThat(process.isAlive()).as("%s exited before printing %s:%n%s", label, pattern, text()).isTrue();
            return false;
        });
        return found[0];
    }

    /** Every output line matching {@code pattern}, e.g. the simulator's one line per node. */
    List<Matcher> awaitLines(Pattern pattern, int count) {
        List<Matcher> all = new ArrayList<>();
        await().atMost(START_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            all.clear();
            output.stream().map(pattern::matcher).filter(Matcher::find).forEach(all::add);
            assertThat(process.isAlive()).as("%s exited early:%n%s", label, text()).isTrue();
            return all.size() >= count;
        });
        return all;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String label() {
        return label;
    }

    String text() {
        return String.join("\n", output);
    }

    /**
     * SIGTERM (through {@code kill}: {@link Process#destroy()} would close our end of the output and lose the shutdown
     * lines), then at most {@link #STOP_BOUND_SECONDS} until it is gone, then SIGKILL. Returns true if SIGTERM sufficed.
     */
    boolean stop() throws InterruptedException {
        if (!process.isAlive()) {
            reader.join(5_000);
            return true;
        }
        try {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: fall through to the forced stop below
        }
        boolean graceful = process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
        if (!graceful) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        return graceful;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** No Netty leak report and no Java stack trace anywhere in this process's output. */
    void assertCleanOutput() {
        assertThat(output).as("%s output:%n%s", label, text()).noneMatch(l -> l.contains("LEAK:"))
                .noneMatch(l -> STACK_LINE.matcher(l).find());
    }
}
