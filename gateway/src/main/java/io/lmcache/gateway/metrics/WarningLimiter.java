package io.lmcache.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a warning per key at most once per interval, so a node that stays down does not flood the log on every
 * 15-second scrape; the suppressed repeats go to DEBUG and are counted in the next warning.
 */
final class WarningLimiter {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>(); // {lastWarnNanos, suppressed}

    WarningLimiter(Logger log, long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
    }

    /** @return true if the warning was logged at WARN (false: rate-limited to DEBUG) */
    boolean warn(String key, String message) {
        long now = nanoClock.getAsLong();
        long suppressed = -1;
        long[] s = state.computeIfAbsent(key, k -> new long[] {now - intervalNanos, 0});
        synchronized (s) {
            if (now - s[0] >= intervalNanos) {
                suppressed = s[1];
                s[0] = now;
                s[1] = 0;
            } else {
                s[1]++;
            }
        }
        if (suppressed < 0) {
            log.debug("{}", message);
            return false;
        }
        if (suppressed > 0) {
            log.warn("{} ({} similar warnings suppressed)", message, suppressed);
        } else {
            log.warn("{}", message);
        }
        return true;
    }

    /** Forgets a key, e.g. when the node is healthy again, so its next failure is reported at once. */
    void reset(String key) {
        state.remove(key);
    }
}
