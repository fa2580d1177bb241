package io.lmcache.common.cli;

import java.time.Duration;
import picocli.CommandLine;

/** picocli converter so every {@code Duration} option speaks {@link Durations}' syntax. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
