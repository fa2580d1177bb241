package io.lmcache.gateway.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.http.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --coordinator-url}: {@code GET {base}/instances} with trailing slashes of the base removed (reference §1.7).
 * Each instance becomes a top-level entry named {@code mp_<instance_id>} (host = {@code ip}, port =
 * {@code http_port} as a string) that is its own single leaf, the same shape supplier discovery gives an MP server.
 * So {@code /proxy2/mp_<id>/...}, {@code /metrics} and the tree API treat coordinator and supplier fleets alike, and
 * the flat names of the newest reference stay valid. {@code "instances": null} is an empty fleet; a malformed
 * instance is skipped and logged; a non-2xx or non-JSON answer fails the load (the last good tree stays).
 */
final class CoordinatorSource implements NodeSource {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorSource.class);

    private final String base;
    private final UrlTarget instances;
    private final HttpFetcher fetcher;
    private final Duration timeout;

    CoordinatorSource(String baseUrl, HttpFetcher fetcher, Duration timeout) {
        this.base = baseUrl;
        this.instances = UrlTarget.parse(baseUrl).withPath("/instances");
        this.fetcher = fetcher;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "coordinator " + base;
    }

    @Override
    public boolean dynamic() {
        return true;
    }

    @Override
    public CompletableFuture<List<FleetEntry>> load() {
        return fetcher.get(instances.target(), instances.pathAndQuery(), timeout, SupplierSource.MAX_LIST_BYTES)
                .thenApply(CoordinatorSource::entries);
    }

    static List<FleetEntry> entries(FetchResult r) {
        if (!r.isSuccess()) {
            throw new IllegalStateException("coordinator answered HTTP " + r.status());
        }
        JsonNode list;
        try {
            list = Json.MAPPER.readTree(r.body()).get("instances");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("coordinator answer is not JSON: " + e.getMessage());
        }
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalStateException("coordinator \"instances\" is not an array");
        }
        List<FleetEntry> out = new ArrayList<>();
        for (JsonNode instance : list) {
            try {
                String id = NodeEntries.text(instance, "instance_id");
                String ip = NodeEntries.text(instance, "ip");
                String port = NodeEntries.port(instance.get("http_port"));
                out.add(FleetEntry.selfLeaf("mp_" + id, ip, port, null));
            } catch (IllegalArgumentException e) {
                log.warn("coordinator instance skipped: {}: {}", e.getMessage(), NodeEntries.abbreviate(instance));
            }
        }
        if (!list.isEmpty() && out.isEmpty()) {
            throw new IllegalStateException("none of the coordinator's " + list.size() + " instances is usable");
        }
        return out;
    }
}
