package io.lmcache.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic clock and a wall clock that move together, only when told to. Displayed times are in UTC. */
public final class FakeClock {
    public static final Instant START = Instant.parse("2025-01-02T03:04:05Z");

    private final AtomicLong nanos = new AtomicLong(123_456_789L); // arbitrary origin: only differences matter

    public LongSupplier nanoTime() {
        return nanos::get;
    }

    public Clock wall() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return START.plusNanos(nanos.get() - 123_456_789L);
            }
        };
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
