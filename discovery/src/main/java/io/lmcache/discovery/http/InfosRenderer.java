package io.lmcache.discovery.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lmcache.common.http.Json;
import io.lmcache.discovery.registry.NodeEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@code /lmcache_infos} document in the reference's shape, streamed straight into a buffer (no object
 * tree), so 10,000 nodes render in a few milliseconds:
 *
 * <pre>{@code
 * {"processCount":N,"versionCount":V,"versions":null,
 *  "processInfos":{"<apiAddress>":{"count":1,"lmCacheInfoEntities":[{"ipAddress":..,"pid":..,"apiAddress":..,
 *     "version":..,"startTime":"YYYY-MM-DD HH:MM:SS","lastReportTime":"..","otherInfo":"<as sent>","state":"up"}]}}}
 * }</pre>
 *
 * {@code versionCount} is the number of distinct versions listed (the reference left it at 0 when filtering);
 * {@code versions} stays null as in the reference. {@code state} ({@code up} or {@code stale}) is our addition.
 */
public final class InfosRenderer {
    /** The reference's format: local time, seconds precision. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private InfosRenderer() {
    }

    /** Writes {@code entries} (already filtered) with times in {@code zone} into {@code out}. */
    public static void render(List<NodeEntry> entries, ZoneId zone, ByteBuf out) {
        SecondsFormatter time = new SecondsFormatter(TIME.withZone(zone));
        Set<String> versions = new HashSet<>();
        for (NodeEntry e : entries) {
            versions.add(e.version());
        }
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator((java.io.OutputStream) new ByteBufOutputStream(out))) {
            g.writeStartObject();
            g.writeNumberField("processCount", entries.size());
            g.writeNumberField("versionCount", versions.size());
            g.writeNullField("versions");
            g.writeObjectFieldStart("processInfos");
            for (NodeEntry e : entries) {
                g.writeObjectFieldStart(e.apiAddress());
                g.writeNumberField("count", 1);
                g.writeArrayFieldStart("lmCacheInfoEntities");
                g.writeStartObject();
                g.writeStringField("ipAddress", e.ipAddress());
                if (e.pid() == null) {
                    g.writeNullField("pid");
                } else {
                    g.writeNumberField("pid", e.pid());
                }
                g.writeStringField("apiAddress", e.apiAddress());
                g.writeStringField("version", e.version());
                g.writeStringField("startTime", time.format(e.startTime().getEpochSecond()));
                g.writeStringField("lastReportTime", time.format(e.lastReportTime().getEpochSecond()));
                g.writeStringField("otherInfo", e.otherInfo());
                g.writeStringField("state", e.state().label());
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Formats whole seconds, remembering the strings of one render: a fleet's times fall on a few distinct seconds
     * (heartbeats come every ~30 s), and DateTimeFormatter would otherwise dominate the cost of a large list.
     */
    private static final class SecondsFormatter {
        private final DateTimeFormatter formatter;
        private final Map<Long, String> cache = new HashMap<>();

        SecondsFormatter(DateTimeFormatter formatter) {
            this.formatter = formatter;
        }

        String format(long epochSecond) {
            return cache.computeIfAbsent(epochSecond, s -> formatter.format(Instant.ofEpochSecond(s)));
        }
    }
}
