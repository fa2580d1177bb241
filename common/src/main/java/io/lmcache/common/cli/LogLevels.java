package io.lmcache.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Maps the reference's uvicorn-style {@code --log-level} names (critical, error, warning, warn, info, debug, trace)
 * onto logback and applies them to the root logger.
 */
public final class LogLevels {
    /** Choices as listed in {@code --help}. */
    public static final String CHOICES = "critical, error, warning, warn, info, debug, trace";

    private LogLevels() {
    }

    public static Level parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "error" -> Level.ERROR;
            case "warning", "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> throw new IllegalArgumentException("unknown log level '" + name + "'; choose one of " + CHOICES);
        };
    }

    /** Sets the root level; our own packages follow it, Netty's internals stay one step quieter unless tracing. */
    public static void apply(String name) {
        Level level = parse(name);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
        netty.setLevel(level == Level.TRACE ? Level.DEBUG : (level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO));
    }
}
