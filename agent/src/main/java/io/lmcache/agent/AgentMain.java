package io.lmcache.agent;

import io.lmcache.common.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder entry point of the LMCache agent; replaced by the real command. */
@Command(name = "lmcache-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "LMCache agent.")
public final class AgentMain implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
