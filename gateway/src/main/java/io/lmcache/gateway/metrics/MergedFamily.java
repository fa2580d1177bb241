package io.lmcache.gateway.metrics;

import java.util.ArrayList;
import java.util.List;

/** One output family: a single HELP (first seen) and TYPE, and every source's part in source order. */
final class MergedFamily {
    private final String name;
    private final List<FamilyPart> parts = new ArrayList<>(4);
    private MetricType type;
    private String help;
    private boolean typeConflict;

    MergedFamily(String name, MetricType type) {
        this.name = name;
        this.type = type;
    }

    void add(FamilyPart part) {
        if (help == null) {
            help = part.help();
        }
        if (part.type() != type && !typeConflict) {
            // Sources disagree: 0.0.4 allows one TYPE per family, and "untyped" is the only one that is true of all.
            typeConflict = true;
            type = MetricType.UNTYPED;
        }
        parts.add(part);
    }

    String name() {
        return name;
    }

    MetricType type() {
        return type;
    }

    String help() {
        return help;
    }

    boolean typeConflict() {
        return typeConflict;
    }

    List<FamilyPart> parts() {
        return parts;
    }
}
