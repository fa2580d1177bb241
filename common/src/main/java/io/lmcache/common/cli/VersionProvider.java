package io.lmcache.common.cli;

import picocli.CommandLine;

/** {@code --version} text from the jar manifest (Implementation-Version), so it never drifts from the build. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    /** The project version, or {@code dev} when running from classes outside a jar. */
    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} " + version(), "Java " + System.getProperty("java.version")};
    }
}
