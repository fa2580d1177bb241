package io.lmcache.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationsTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "3s, 3000",
        "2m, 120000",
        "1h, 3600000",
        "30, 30000",
        "0.5, 500",
        "1.5s, 1500",
        "0, 0",
        "0ms, 0",
        "' 90s ', 90000",
        "3 s, 3000",
        "2M, 120000",
        "250MS, 250",
    })
    void every_documented_form_parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void fractions_of_a_millisecond_are_kept_to_the_nanosecond() {
        assertThat(Durations.parse("0.25ms")).isEqualTo(Duration.ofNanos(250_000));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "-1", "-5s", "abc", "3d", "1.s", ".5", "5 sec", "1e3", "s", "3s5"})
    void malformed_and_negative_values_are_refused_with_an_example(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("500ms");
    }

    @Test
    void null_and_absurdly_long_values_are_refused() {
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required");
        assertThatThrownBy(() -> Durations.parse("99999999999999999h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0s", "250ms", "1500ms", "3s", "2m", "90s", "1h", "25h"})
    void format_reads_back_as_the_same_duration(String text) {
        Duration d = Durations.parse(text);
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Test
    void the_picocli_converter_reports_bad_values_as_conversion_errors() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("soon");
    }
}
