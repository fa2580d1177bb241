package io.lmcache.gateway.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed node list: {@code --nodes} (wrapped in one proxy {@code local_proxy} whose host and port are the gateway's
 * own, as the reference's tree versions do) or a {@code --config} file. The whole value must be a JSON array (else
 * {@link IllegalArgumentException} at start, which the command line reports with exit code 2); single malformed
 * entries are skipped and logged.
 *
 * <p>{@code --config} entries may be tree entries ({@code {"name","host","port","nodes":[...]}}: a proxy whose
 * leaves are reached directly) or flat entries ({@code {"name","host","port"}}: the node is its own single leaf,
 * fixing the reference's empty-children confusion of §1.3).
 */
final class StaticSource implements NodeSource {
    private static final Logger log = LoggerFactory.getLogger(StaticSource.class);
    static final String LOCAL_PROXY = "local_proxy";

    private final String description;
    private final JsonNode array;
    private final boolean wrapInLocalProxy;
    private final String selfHost;
    private final IntSupplier selfPort;

    private StaticSource(String description, JsonNode array, boolean wrapInLocalProxy, String selfHost,
                         IntSupplier selfPort) {
        this.description = description;
        this.array = array;
        this.wrapInLocalProxy = wrapInLocalProxy;
        this.selfHost = selfHost;
        this.selfPort = selfPort;
    }

    /** {@code --nodes JSON}. */
    static StaticSource ofNodesJson(String json, String selfHost, IntSupplier selfPort) {
        return new StaticSource("--nodes", parseArray(json, "--nodes"), true, selfHost, selfPort);
    }

    /** {@code --config FILE}. */
    static StaticSource ofConfigFile(String file) {
        String json;
        try {
            json = Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--config " + file + " cannot be read: " + e.getMessage());
        }
        return new StaticSource("--config " + file, parseArray(json, "--config " + file), false, null, () -> 0);
    }

    static JsonNode parseArray(String json, String what) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(what + " must be a JSON array of {\"name\",\"host\",\"port\"} objects");
        }
        return node;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean dynamic() {
        return false;
    }

    @Override
    public CompletableFuture<List<FleetEntry>> load() {
        return CompletableFuture.completedFuture(wrapInLocalProxy ? localProxy() : configEntries());
    }

    private List<FleetEntry> localProxy() {
        List<FleetLeaf> leaves = NodeEntries.leaves(array, description, log::warn);
        return List.of(new FleetEntry(LOCAL_PROXY, selfHost, Integer.toString(selfPort.getAsInt()), false, leaves));
    }

    private List<FleetEntry> configEntries() {
        List<FleetEntry> entries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            try {
                FleetLeaf self = NodeEntries.leaf(node);
                JsonNode nodes = node.get("nodes");
                if (nodes == null || nodes.isNull()) {
                    entries.add(FleetEntry.selfLeaf(self.name(), self.host(), self.port(), self.state()));
                } else if (nodes.isArray()) {
                    List<FleetLeaf> leaves = NodeEntries.leaves(nodes, description + " '" + self.name() + "' node",
                            log::warn);
                    entries.add(new FleetEntry(self.name(), self.host(), self.port(), false, leaves));
                } else {
                    throw new IllegalArgumentException("\"nodes\" must be an array");
                }
            } catch (IllegalArgumentException e) {
                log.warn("{} entry #{} skipped: {}: {}", description, i, e.getMessage(), NodeEntries.abbreviate(node));
            }
        }
        return entries;
    }
}
