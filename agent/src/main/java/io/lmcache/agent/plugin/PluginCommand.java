package io.lmcache.agent.plugin;

import io.lmcache.agent.sidecar.Sidecar;
import io.lmcache.agent.sidecar.SidecarOptions;
import io.lmcache.agent.sidecar.SidecarSettings;
import io.lmcache.common.cli.LogLevels;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The MP runtime plugin: reads {@code LMCACHE_RUNTIME_PLUGIN_CONFIG} (falling back to the legacy
 * {@code LMCACHE_PLUGIN_CONFIG}), maps it with {@link PluginArgv} and runs the heartbeat sidecar for the MP server
 * that launched it. The reported pid is this process's parent (the MP server, since the plugin script {@code exec}s
 * the JVM) unless {@code plugin.frontend.pid} says otherwise.
 */
@Command(name = "plugin", mixinStandardHelpOptions = true,
        description = {
            "Runs as an LMCache MP runtime plugin: configuration comes from the environment variable "
                    + "LMCACHE_RUNTIME_PLUGIN_CONFIG that the MP server's plugin launcher sets.",
            "Keys 'plugin.frontend.<option>' of runtime_plugin_extra_config become the sidecar's --<option> "
                    + "(_ or -): heartbeat-url (required), heartbeat-interval, heartbeat-initial-delay, report-host, "
                    + "pid, log-level. The node and --port come from http_config. Unknown keys are warned about and "
                    + "ignored. Exits 0 on SIGTERM after deregistering."})
public final class PluginCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PluginCommand.class);
    public static final String CONFIG_ENV = "LMCACHE_RUNTIME_PLUGIN_CONFIG";
    public static final String LEGACY_CONFIG_ENV = "LMCACHE_PLUGIN_CONFIG";
    /** Exit code when the launcher's configuration cannot work. */
    public static final int CONFIG_ERROR = 2;

    @Override
    public Integer call() throws Exception {
        return run(System.getenv());
    }

    int run(Map<String, String> env) throws InterruptedException {
        String json = env.get(CONFIG_ENV);
        if (json == null) {
            json = env.get(LEGACY_CONFIG_ENV);
        }
        CommandLine sidecarLine = new CommandLine(new SidecarOptions());
        PluginArgv.Result mapped = PluginArgv.fromEnvironment(json, "lmcache-agent plugin",
                longNames(sidecarLine, false), longNames(sidecarLine, true));
        SidecarOptions options = new SidecarOptions();
        try {
            new CommandLine(options).parseArgs(mapped.args().toArray(String[]::new));
            LogLevels.apply(options.logLevel());
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            return fail("invalid plugin configuration: " + e.getMessage());
        }
        mapped.warnings().forEach(w -> log.warn("{}", w));
        if (!mapped.problems().isEmpty()) {
            return fail(String.join("; ", mapped.problems()));
        }
        long mpServerPid = ProcessHandle.current().parent().map(ProcessHandle::pid)
                .orElse(ProcessHandle.current().pid());
        SidecarSettings settings;
        try {
            settings = options.toSettings(mpServerPid);
        } catch (IllegalArgumentException e) {
            return fail("invalid plugin configuration: " + e.getMessage().replace("--heartbeat-url",
                    "plugin.frontend.heartbeat-url"));
        }
        log.info("LMCache MP plugin (worker {} of {}) reporting MP server pid {} on port {}",
                env.getOrDefault("LMCACHE_RUNTIME_PLUGIN_WORKER_ID", "0"),
                env.getOrDefault("LMCACHE_RUNTIME_PLUGIN_WORKER_COUNT", "1"), settings.pid(), settings.port());
        return Sidecar.run(settings);
    }

    private static int fail(String reason) {
        log.error("LMCache MP plugin cannot start: {}", reason);
        return CONFIG_ERROR;
    }

    private static Set<String> longNames(CommandLine line, boolean flagsOnly) {
        return line.getCommandSpec().options().stream()
                .filter(o -> !flagsOnly || o.arity().max() == 0)
                .map(OptionSpec::longestName)
                .collect(Collectors.toUnmodifiableSet());
    }
}
