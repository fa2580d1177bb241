package io.lmcache.gateway.nodes;

/**
 * A leaf as its source reported it. {@code name} is the name its source uses (for a cascaded leaf, the name to ask
 * the child gateway for); {@code state} is the discovery state ("up", "stale") when known, else null.
 */
record FleetLeaf(String name, String host, String port, String state) {
}
