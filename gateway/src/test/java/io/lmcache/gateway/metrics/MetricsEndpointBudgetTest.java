package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsEndpointBudgetTest {
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @Test
    void without_the_prometheus_header_the_configured_timeout_applies() {
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, null)).isEqualTo(FIVE_SECONDS);
    }

    @Test
    void a_shorter_prometheus_timeout_wins_minus_a_margin() {
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "3")).isEqualTo(Duration.ofMillis(2_700));
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "2.5")).isEqualTo(Duration.ofMillis(2_250));
        assertThat(MetricsEndpoint.budget(Duration.ofSeconds(30), "10")).isEqualTo(Duration.ofMillis(9_500));
    }

    @Test
    void a_longer_prometheus_timeout_does_not_extend_the_configured_one() {
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "10")).isEqualTo(FIVE_SECONDS);
    }

    @Test
    void garbage_or_non_positive_headers_are_ignored_and_tiny_ones_keep_a_floor() {
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "soon")).isEqualTo(FIVE_SECONDS);
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "-1")).isEqualTo(FIVE_SECONDS);
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "NaN")).isEqualTo(FIVE_SECONDS);
        assertThat(MetricsEndpoint.budget(FIVE_SECONDS, "0.01")).isEqualTo(Duration.ofMillis(MetricsEndpoint.MIN_BUDGET_MILLIS));
    }
}
