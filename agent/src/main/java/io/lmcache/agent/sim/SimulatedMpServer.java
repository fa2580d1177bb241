package io.lmcache.agent.sim;

/**
 * CONTRACT STUB (to be implemented by the agent work): a Netty server answering like an LMCache MP server.
 * Keep these public signatures (gateway tests and benchmarks start it in-process); add options as needed.
 */
public final class SimulatedMpServer implements AutoCloseable {
    /** Starts on {@code host:port} (0 = any free port). */
    public static SimulatedMpServer start(String host, int port) throws InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public int port() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
