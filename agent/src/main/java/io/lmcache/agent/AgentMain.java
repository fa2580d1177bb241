package io.lmcache.agent;

import io.lmcache.agent.plugin.PluginCommand;
import io.lmcache.agent.sidecar.Sidecar;
import io.lmcache.agent.sidecar.SidecarOptions;
import io.lmcache.agent.sidecar.SidecarSettings;
import io.lmcache.agent.sim.SimulateCommand;
import io.lmcache.common.cli.LogLevels;
import io.lmcache.common.cli.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar lmcache-agent.jar}: without a subcommand, the heartbeat sidecar of one MP server (the reference
 * frontend's {@code --no-http} mode); {@code plugin} is the same driven by the MP runtime-plugin launcher's
 * environment; {@code simulate} runs simulated MP servers.
 */
@Command(name = "lmcache-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {PluginCommand.class, SimulateCommand.class},
        description = {
            "Heartbeat sidecar for an LMCache MP server: announces the server to a discovery service "
                    + "(GET <heartbeat-url>?api_address=&pid=&version=&other_info=) at a fixed rate, retries quickly "
                    + "while discovery is down, and deregisters on SIGTERM.",
            "Subcommands: 'plugin' (launched by the MP server's --runtime-plugin-locations through "
                    + "agent/plugin/lmcache_mp_frontend_plugin.sh) and 'simulate' (simulated MP servers)."})
public final class AgentMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SidecarOptions options;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (exit code 2 with a message for bad flags). */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentMain());
    }

    @Override
    public Integer call() throws Exception {
        SidecarSettings settings;
        try {
            LogLevels.apply(options.logLevel());
            settings = options.toSettings(ProcessHandle.current().pid());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return Sidecar.run(settings);
    }
}
