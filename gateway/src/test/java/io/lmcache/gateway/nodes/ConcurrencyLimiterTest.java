package io.lmcache.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {
    @Test
    void no_more_than_the_permits_run_at_once_and_the_rest_run_in_order_as_calls_finish() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        List<CompletableFuture<Integer>> upstream = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(limiter.submit(() -> {
                started.incrementAndGet();
                CompletableFuture<Integer> f = new CompletableFuture<>();
                upstream.add(f);
                return f;
            }));
        }
        assertThat(started.get()).isEqualTo(2);
        upstream.get(0).complete(0);
        assertThat(started.get()).isEqualTo(3);
        upstream.get(1).completeExceptionally(new IllegalStateException("boom"));
        assertThat(started.get()).isEqualTo(4);
        assertThat(results.get(1)).isCompletedExceptionally();
        upstream.get(2).complete(2);
        upstream.get(3).complete(3);
        upstream.get(4).complete(4);
        assertThat(started.get()).isEqualTo(5);
        assertThat(results.get(4).join()).isEqualTo(4);
    }

    @Test
    void a_call_that_throws_releases_its_permit() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        CompletableFuture<Integer> failed = limiter.submit(() -> {
            throw new IllegalStateException("no");
        });
        assertThat(failed).isCompletedExceptionally();
        assertThat(limiter.submit(() -> CompletableFuture.completedFuture(7)).join()).isEqualTo(7);
    }
}
