package io.lmcache.agent.sidecar;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Handling the signals ourselves (rather than relying on shutdown hooks) lets the
 * process finish its own shutdown and exit with 0, which is what the MP plugin launcher expects on a stop.
 */
public final class Termination {
    private static final Logger log = LoggerFactory.getLogger(Termination.class);
    private final CountDownLatch signalled = new CountDownLatch(1);

    private Termination() {
    }

    /** Installs the handlers; call before starting work so an early signal is not lost. */
    public static Termination install() {
        Termination t = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                log.info("Received SIG{}, shutting down", s.getName());
                t.signalled.countDown();
            });
        }
        return t;
    }

    public void await() throws InterruptedException {
        signalled.await();
    }
}
