package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WarningLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final WarningLimiter limiter =
            new WarningLimiter(LoggerFactory.getLogger(WarningLimiterTest.class), 60, TimeUnit.SECONDS, nanos::get);

    @Test
    void a_repeated_warning_is_logged_once_per_interval_per_key() {
        assertThat(limiter.warn("node:a", "down")).isTrue();
        assertThat(limiter.warn("node:a", "down")).isFalse();
        assertThat(limiter.warn("node:b", "down")).isTrue();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(limiter.warn("node:a", "down")).isFalse();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(limiter.warn("node:a", "down")).isTrue();
    }

    @Test
    void a_reset_key_warns_again_at_once() {
        assertThat(limiter.warn("node:a", "down")).isTrue();
        limiter.reset("node:a");
        assertThat(limiter.warn("node:a", "down")).isTrue();
    }
}
