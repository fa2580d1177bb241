package io.lmcache.discovery;

import io.lmcache.common.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder entry point of the LMCache discovery service; replaced by the real command. */
@Command(name = "lmcache-discovery", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "LMCache discovery service.")
public final class DiscoveryMain implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new DiscoveryMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
