package io.lmcache.common.net;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Resolves host names for {@code Bootstrap.connect} on a few lookup threads instead of the event loop. Netty's default
 * resolver calls the JDK's blocking {@code InetAddress.getAllByName} on the loop of the connecting channel, so one slow
 * DNS answer (seconds, per try) would stall every connection served by that loop. IP literals need no lookup and are
 * answered at once, on the caller's thread.
 */
public final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {
    /** The system's lookup, {@link InetAddress#getAllByName}; replaceable in tests. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    private static final int LOOKUP_THREADS = 4;
    private static final long LOOKUP_THREAD_IDLE_SECONDS = 30;

    /** One for the process: lookup threads start on demand and end when idle. */
    public static final OffLoopResolver SHARED = new OffLoopResolver(newLookupThreads(), InetAddress::getAllByName);

    private final Executor lookups;
    private final Lookup lookup;

    public OffLoopResolver(Executor lookups, Lookup lookup) {
        this.lookups = lookups;
        this.lookup = lookup;
    }

    private static Executor newLookupThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, LOOKUP_THREAD_IDLE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("dns-lookup", true));
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new NameResolver(executor).asAddressResolver();
    }

    private final class NameResolver extends InetNameResolver {
        NameResolver(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            InetAddress literal = literal(host);
            if (literal != null) {
                promise.trySuccess(literal);
                return;
            }
            lookups.execute(() -> {
                try {
                    promise.trySuccess(lookup.all(host)[0]);
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            InetAddress literal = literal(host);
            if (literal != null) {
                promise.trySuccess(List.of(literal));
                return;
            }
            lookups.execute(() -> {
                try {
                    promise.trySuccess(Arrays.asList(lookup.all(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }

        private static InetAddress literal(String host) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
            if (bytes == null) {
                return null;
            }
            try {
                return InetAddress.getByAddress(host, bytes);
            } catch (UnknownHostException e) {
                return null; // not reached: the length is always 4 or 16
            }
        }
    }
}
