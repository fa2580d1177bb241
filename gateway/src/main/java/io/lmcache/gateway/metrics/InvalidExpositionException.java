package io.lmcache.gateway.metrics;

/** A node's metrics body that cannot be parsed (HTML, truncated, over a bound); the node then scrapes as down. */
final class InvalidExpositionException extends Exception {
    InvalidExpositionException(String message) {
        super(message, null, false, false);
    }
}
