package io.lmcache.gateway.metrics;

/** Where rendered exposition text goes: a StringBuilder in tests, HTTP chunks on the wire. */
@FunctionalInterface
interface TextSink {
    void append(CharSequence text);
}
