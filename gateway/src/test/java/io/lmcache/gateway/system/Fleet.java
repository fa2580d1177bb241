package io.lmcache.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.testing.JavaProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;

/**
 * The processes of one scenario: real jars of the project, each launched as an operator would
 * ({@code java -Dio.netty.leakDetection.level=paranoid ... -jar <root>/<module>/target/<jar> args...}), their output
 * copied to {@code gateway/target/system-it/<label>.log} for a post-mortem. {@link #stopAndCheck()} stops them newest first (gateways before the nodes and the
 * discovery they talk to), each with SIGTERM, and then checks that every one stopped on SIGTERM and that no output
 * holds a leak report or a stack trace.
 */
final class Fleet {
    /** Bound of every eventually-true assertion: generous, the machine may be busy with other builds. */
    static final Duration GENEROUS = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(250);

    /** The simulator's line per node: {@code Simulated MP node <name> at http://127.0.0.1:<port>}. */
    static final Pattern SIMULATED_NODE = Pattern.compile("^Simulated MP node (\\S+) at http://127\\.0\\.0\\.1:(\\d+)$");

    /** A start on a loaded 2-core machine, JIT and all: generous, since timings are never asserted here. */
    static final Duration START_BOUND = Duration.ofSeconds(45);
    /** How long a process may take to stop after SIGTERM before it is killed (it should need well under a second). */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);
    private static final List<String> JVM_OPTIONS = List.of("-Dio.netty.leakDetection.level=paranoid", "-Xmx192m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** A line of a Java stack trace ({@code \tat pkg.Class.method(File.java:12)}) or its cause/suppressed header. */
    private static final Pattern STACK_LINE =
            Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)$|^Caused by: |^\\s*Suppressed: |Exception in thread ");

    private final List<JavaProcess> processes = new ArrayList<>();
    /** The output line each process prints once it is ready, see {@link #awaitReady}. */
    private final Map<JavaProcess, Pattern> readyLines = new IdentityHashMap<>();

    /** Starts {@code <root>/<module>/target/<jarName>} with the given arguments as a member of this fleet. */
    JavaProcess start(String label, String module, String jarName, String... args) throws IOException {
        Path logDirectory = JavaProcess.projectRoot().resolve("gateway").resolve("target").resolve("system-it");
        JavaProcess p = JavaProcess.jar(label, JVM_OPTIONS, logDirectory, JavaProcess.moduleJar(module, jarName), args);
        processes.add(p);
        return p;
    }

    /** The discovery jar on {@code port}; {@link #awaitReady} waits for its ready line. */
    JavaProcess discovery(String label, int port) throws IOException {
        return readyWhen(start(label, "discovery", "lmcache-discovery.jar", "--host", "127.0.0.1", "--port",
                Integer.toString(port)), "discovery service ready on 127\\.0\\.0\\.1:" + port);
    }

    /** The gateway jar on 127.0.0.1:{@code port} with further options; ready when it prints its URL. */
    JavaProcess gateway(String label, int port, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        args.addAll(List.of(more));
        return readyWhen(start(label, "gateway", "lmcache-gateway.jar", args.toArray(String[]::new)),
                "^Monitoring service running at http://127\\.0\\.0\\.1:" + port + "$");
    }

    /** The agent jar (sidecar, or {@code simulate ...}); its ready line depends on the mode, see {@link #readyWhen}. */
    JavaProcess agent(String label, String... args) throws IOException {
        return start(label, "agent", "lmcache-agent.jar", args);
    }

    /** Sets the output line (a regular expression) that {@link #awaitReady} waits for. */
    JavaProcess readyWhen(JavaProcess p, String regex) {
        readyLines.put(p, Pattern.compile(regex));
        return p;
    }

    /** Waits for the ready line; processes are started first and awaited after, so their start-ups overlap. */
    void awaitReady(JavaProcess p) {
        p.awaitMatches(readyLines.getOrDefault(p, Pattern.compile(".")), 1, START_BOUND);
    }

    /** A port that was free a moment ago: bound to 0, read, closed (the way an operator's script would pick one). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM, then at most {@link #STOP_BOUND} until it is gone, then SIGKILL. Returns true if SIGTERM sufficed. */
    static boolean stop(JavaProcess p) throws InterruptedException {
        return p.stop(STOP_BOUND);
    }

    /** No Netty leak report and no Java stack trace anywhere in the process's output. */
    static void assertCleanOutput(JavaProcess p) {
        assertThat(p.output).as("%s output:%n%s", p.name(), p.text()).noneMatch(l -> l.contains("LEAK:"))
                .noneMatch(l -> STACK_LINE.matcher(l).find());
    }

    /** Name → port of the {@code count} nodes a {@code simulate} process announced. */
    static Map<String, Integer> simulatedNodes(JavaProcess simulate, int count) {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (Matcher m : simulate.awaitMatches(SIMULATED_NODE, count, START_BOUND)) {
            nodes.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return nodes;
    }

    /** The proxies of a gateway's {@code /api/nodes}, by name. */
    static Map<String, JsonNode> proxies(int gatewayPort) throws IOException, InterruptedException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode proxy : SystemHttp.json(gatewayPort, "/api/nodes").get("nodes")) {
            byName.put(proxy.get("name").asText(), proxy);
        }
        return byName;
    }

    /** The api addresses a discovery's {@code /lmcache_infos} lists. */
    static List<String> registeredAddresses(int discoveryPort) throws IOException, InterruptedException {
        List<String> addresses = new ArrayList<>();
        SystemHttp.json(discoveryPort, "/lmcache_infos").get("processInfos").fieldNames().forEachRemaining(addresses::add);
        return addresses;
    }

    void stopAndCheck() throws InterruptedException {
        SoftAssertions soft = new SoftAssertions();
        for (int i = processes.size() - 1; i >= 0; i--) {
            JavaProcess p = processes.get(i);
            boolean wasAlive = p.process.isAlive();
            boolean graceful = stop(p);
            if (wasAlive) {
                soft.assertThat(graceful).as("%s stopped on SIGTERM:%n%s", p.name(), p.text()).isTrue();
            }
        }
        for (JavaProcess p : processes) {
            soft.check(() -> assertCleanOutput(p));
        }
        soft.assertAll();
    }
}
