package io.lmcache.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;

/**
 * The processes of one scenario. {@link #stopAndCheck()} stops them newest first (gateways before the nodes and the
 * discovery they talk to), each with SIGTERM, and then checks that every one stopped on SIGTERM and that no output
 * holds a leak report or a stack trace.
 */
final class Fleet {
    /** Bound of every eventually-true assertion: generous, the machine may be busy with other builds. */
    static final Duration GENEROUS = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(250);

    /** The simulator's line per node: {@code Simulated MP node <name> at http://127.0.0.1:<port>}. */
    static final Pattern SIMULATED_NODE = Pattern.compile("^Simulated MP node (\\S+) at http://127\\.0\\.0\\.1:(\\d+)$");

    private final List<JarProcess> processes = new ArrayList<>();

    JarProcess add(JarProcess p) {
        processes.add(p);
        return p;
    }

    /** Name → port of the {@code count} nodes a {@code simulate} process announced. */
    static Map<String, Integer> simulatedNodes(JarProcess simulate, int count) {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (Matcher m : simulate.awaitLines(SIMULATED_NODE, count)) {
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
            JarProcess p = processes.get(i);
            boolean wasAlive = p.isAlive();
            boolean graceful = p.stop();
            if (wasAlive) {
                soft.assertThat(graceful).as("%s stopped on SIGTERM:%n%s", p.label(), p.text()).isTrue();
            }
        }
        for (JarProcess p : processes) {
            soft.check(p::assertCleanOutput);
        }
        soft.assertAll();
    }
}
