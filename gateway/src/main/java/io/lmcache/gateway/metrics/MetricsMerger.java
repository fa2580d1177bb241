package io.lmcache.gateway.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges parsed sources (nodes first, then the gateway's own families) into 0.0.4 text without losing a sample.
 *
 * <ul>
 *   <li>Families are keyed by their output name and emitted in first-seen order, each with one {@code # HELP} (the
 *       first source that has one) and exactly one {@code # TYPE}.</li>
 *   <li>Within a family, each source's samples stay together and in that source's order (so bucket and quantile order
 *       is kept); nothing is ever summed across sources: the {@code node} label keeps them apart.</li>
 *   <li>TYPE conflict rule: when sources declare different types for one family, the family is emitted as
 *       {@code untyped} and every sample keeps its own name (a histogram's {@code _bucket} lines stay {@code _bucket}).
 *       Nothing is dropped and no second TYPE line is written.</li>
 *   <li>Samples without any metadata form untyped families; {@code # TYPE name untyped} is written for them so that a
 *       strict parser cannot attach them to a histogram or summary of a similar name.</li>
 * </ul>
 */
final class MetricsMerger {
    private MetricsMerger() {
    }

    static List<MergedFamily> merge(Collection<Exposition> sources) {
        Map<String, MergedFamily> byName = new LinkedHashMap<>();
        for (Exposition source : sources) {
            for (FamilyPart part : source.families()) {
                byName.computeIfAbsent(part.name(), n -> new MergedFamily(n, part.type())).add(part);
            }
        }
        return new ArrayList<>(byName.values());
    }

    static void render(List<MergedFamily> families, TextSink out) {
        StringBuilder meta = new StringBuilder(256);
        for (MergedFamily family : families) {
            meta.setLength(0);
            if (family.help() != null) {
                meta.append("# HELP ").append(family.name()).append(' ');
                escapeHelp(family.help(), meta);
                meta.append('\n');
            }
            meta.append("# TYPE ").append(family.name()).append(' ').append(family.type().text()).append('\n');
            out.append(meta);
            for (FamilyPart part : family.parts()) {
                out.append(part.lines());
            }
        }
    }

    /** 0.0.4 HELP escaping: only backslash and newline. */
    static void escapeHelp(String help, StringBuilder sb) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
    }
}
