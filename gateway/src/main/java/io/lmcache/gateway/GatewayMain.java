package io.lmcache.gateway;

import io.lmcache.common.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder entry point of the LMCache gateway; replaced by the real command. */
@Command(name = "lmcache-gateway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "LMCache gateway.")
public final class GatewayMain implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
