package io.lmcache.agent.sim;

import static io.lmcache.agent.sim.MetricsExposition.number;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sample values are written as Python's prometheus_client writes them (its floatToGoString). */
class MetricsExpositionTest {
    @Test
    void small_values_are_pythons_repr() {
        assertThat(number(0)).isEqualTo("0.0");
        assertThat(number(3)).isEqualTo("3.0");
        assertThat(number(0.25)).isEqualTo("0.25");
        assertThat(number(123456)).isEqualTo("123456.0");
        assertThat(number(0.001)).isEqualTo("0.001");
        assertThat(number(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(number(-2.5)).isEqualTo("-2.5");
    }

    @Test
    void more_than_six_integer_digits_use_gos_exponent_form() {
        assertThat(number(1234567)).isEqualTo("1.234567e+06");
        assertThat(number(1000000)).isEqualTo("1e+06");
        assertThat(number(1795886741.862)).isEqualTo("1.795886741862e+09");
        assertThat(number(8589934592.0)).isEqualTo("8.589934592e+09");
    }

    @Test
    void infinities_and_nan_use_prometheus_spelling() {
        assertThat(number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(number(Double.NaN)).isEqualTo("NaN");
    }
}
