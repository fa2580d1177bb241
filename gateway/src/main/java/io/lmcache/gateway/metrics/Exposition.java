package io.lmcache.gateway.metrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** One source's parsed metrics: its families in first-seen order, each with its rendered sample lines. */
final class Exposition {
    private final Map<String, FamilyPart> families = new LinkedHashMap<>();
    private int samples;

    Collection<FamilyPart> families() {
        return families.values();
    }

    /** Total sample lines kept. */
    int samples() {
        return samples;
    }

    FamilyPart family(String name, MetricType type, String metadataName) {
        FamilyPart part = families.get(name);
        if (part == null) {
            part = new FamilyPart(name, type, metadataName);
            families.put(name, part);
        }
        return part;
    }

    void sampleAdded(FamilyPart part) {
        part.sampleAdded();
        samples++;
    }
}
