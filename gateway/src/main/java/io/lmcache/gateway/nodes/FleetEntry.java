package io.lmcache.gateway.nodes;

import java.util.List;

/**
 * One top-level entry as a node source reports it, before names are made URL-safe and unique. {@code cascade} means
 * the leaves were reported by a child gateway at host:port and are reached through it.
 */
record FleetEntry(String name, String host, String port, boolean cascade, List<FleetLeaf> leaves) {
    FleetEntry {
        leaves = List.copyOf(leaves);
    }

    /** An MP server (or any non-gateway) listed as its own single leaf. */
    static FleetEntry selfLeaf(String name, String host, String port, String state) {
        return new FleetEntry(name, host, port, false, List.of(new FleetLeaf(name, host, port, state)));
    }

    FleetEntry withLeaves(boolean newCascade, List<FleetLeaf> newLeaves) {
        return new FleetEntry(name, host, port, newCascade, newLeaves);
    }

    /** True when the only leaf is the entry itself (same host and port). */
    boolean isSelfLeaf() {
        return !cascade && leaves.size() == 1 && leaves.get(0).host().equals(host) && leaves.get(0).port().equals(port);
    }
}
