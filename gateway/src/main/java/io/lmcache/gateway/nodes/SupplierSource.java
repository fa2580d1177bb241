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
 * {@code --node-supplier-url}: a discovery service's {@code /lmcache_infos} (reference §1.5). Every
 * {@code processInfos[*].lmCacheInfoEntities[*].apiAddress} becomes an address; a malformed one is skipped and
 * logged. The load fails (keeping the last good tree) when the supplier does not answer 2xx JSON with a
 * {@code processInfos} object, or when it lists entries of which none is usable. An answer with no entries at all
 * is a real empty fleet and is accepted (the reference could not tell it from a failure, §11.9).
 */
final class SupplierSource implements NodeSource {
    private static final Logger log = LoggerFactory.getLogger(SupplierSource.class);
    /** Bound on the supplier's answer: 10 000 nodes with generous fields fit. */
    static final int MAX_LIST_BYTES = 32 * 1024 * 1024;

    private final String url;
    private final UrlTarget target;
    private final HttpFetcher fetcher;
    private final Duration timeout;
    private final ProbedAddresses probed;

    SupplierSource(String url, HttpFetcher fetcher, Duration timeout, ProbedAddresses probed) {
        this.url = url;
        this.target = UrlTarget.parse(url);
        this.fetcher = fetcher;
        this.timeout = timeout;
        this.probed = probed;
    }

    @Override
    public String describe() {
        return "supplier " + url;
    }

    @Override
    public boolean dynamic() {
        return true;
    }

    @Override
    public CompletableFuture<List<FleetEntry>> load() {
        return fetcher.get(target.target(), target.pathAndQuery(), timeout, MAX_LIST_BYTES)
                .thenApply(this::addresses)
                .thenCompose(probed::entries);
    }

    List<ProbedAddresses.Address> addresses(FetchResult r) {
        if (!r.isSuccess()) {
            throw new IllegalStateException("supplier answered HTTP " + r.status());
        }
        JsonNode infos;
        try {
            infos = Json.MAPPER.readTree(r.body()).get("processInfos");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("supplier answer is not JSON: " + e.getMessage());
        }
        if (infos == null || !infos.isObject()) {
            throw new IllegalStateException("supplier answer has no \"processInfos\" object");
        }
        List<ProbedAddresses.Address> out = new ArrayList<>();
        int listed = 0;
        for (JsonNode process : infos) {
            JsonNode entities = process.get("lmCacheInfoEntities");
            if (entities == null || !entities.isArray()) {
                continue;
            }
            for (JsonNode entity : entities) {
                listed++;
                JsonNode address = entity.get("apiAddress");
                try {
                    if (address == null || !address.isTextual()) {
                        throw new IllegalArgumentException("missing \"apiAddress\"");
                    }
                    JsonNode state = entity.get("state");
                    out.add(new ProbedAddresses.Address(ApiAddresses.parse(address.asText()),
                            state != null && state.isTextual() ? state.asText() : null));
                } catch (IllegalArgumentException e) {
                    log.warn("supplier entry skipped: {}", e.getMessage());
                }
            }
        }
        if (listed > 0 && out.isEmpty()) {
            throw new IllegalStateException("none of the supplier's " + listed + " entries has a usable apiAddress");
        }
        return out;
    }
}
