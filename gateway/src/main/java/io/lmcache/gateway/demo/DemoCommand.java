package io.lmcache.gateway.demo;

import io.lmcache.common.cli.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * CONTRACT STUB (the dashboard work implements it): {@code lmcache-gateway demo}, the gateway with embedded
 * discovery plus simulated MP nodes that register through real heartbeats. GatewayMain lists it as a subcommand.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Start the gateway with embedded discovery and simulated MP nodes, and print the dashboard URL.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("demo is not implemented yet");
        return 1;
    }
}
