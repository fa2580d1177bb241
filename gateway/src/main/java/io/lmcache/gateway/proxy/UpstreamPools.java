package io.lmcache.gateway.proxy;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.common.net.OffLoopResolver;
import io.lmcache.common.net.Transport;
import io.lmcache.gateway.metrics.GatewayMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to nodes, pooled per (event loop × target). A connection is opened on the event loop of the
 * client connection that needs it, with the same transport, so a proxied request never changes thread and the pools
 * need no locks. The number of open connections per target is bounded across all loops; a request that finds none
 * free waits (up to the connect timeout) for one to be released or closed. Idle connections are closed before a
 * typical origin would close them (uvicorn, which serves LMCache's HTTP API, drops idle ones after 5 s).
 */
public final class UpstreamPools {
    /** How long a connection may stay idle in the pool; below uvicorn's default keep-alive of 5 s. */
    public static final long IDLE_EVICT_MILLIS = 4_000;
    /** Largest piece of a body the decoder hands on at once (a read is at most this big anyway). */
    private static final int MAX_CHUNK_BYTES = 256 * 1024;
    private static final int MAX_RESPONSE_LINE_BYTES = 16 * 1024;
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    /** A 1 MiB high water mark lets large bodies move in big writes (measured: +47 % on 1 MiB bodies over 64 KiB). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /** The outcome of {@link #acquire}, called on the requesting channel's event loop. */
    interface Acquirer {
        void acquired(UpstreamConnection connection);

        void failed(Throwable cause);
    }

    private final int connectTimeoutMillis;
    private final int maxPerTarget;
    private final long idleEvictNanos;
    private final GatewayMetrics metrics;
    private final ConcurrentHashMap<EventLoop, LoopPool> loops = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HttpTarget, Budget> budgets = new ConcurrentHashMap<>();

    UpstreamPools(long connectTimeoutMillis, int maxPerTarget, long idleEvictMillis, GatewayMetrics metrics) {
        this.connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
        this.maxPerTarget = Math.max(1, maxPerTarget);
        this.idleEvictNanos = TimeUnit.MILLISECONDS.toNanos(idleEvictMillis);
        this.metrics = metrics;
    }

    /**
     * Gets a connection to {@code target} on {@code client}'s event loop: an idle pooled one unless {@code fresh},
     * else a new one. Must be called on that loop; {@code acquirer} may be called before this returns.
     */
    void acquire(Channel client, HttpTarget target, String node, boolean fresh, Acquirer acquirer) {
        EventLoop loop = client.eventLoop();
        LoopPool pool = loops.get(loop);
        if (pool == null) {
            pool = loops.computeIfAbsent(loop, l -> new LoopPool(l, Transport.of(client)));
        }
        pool.acquire(target, node, fresh, acquirer);
    }

    /** Idle pooled connections across all loops (approximate while loops run; for tests). */
    int idleConnections() {
        int n = 0;
        for (LoopPool p : loops.values()) {
            n += p.idleCount;
        }
        return n;
    }

    private Budget budget(HttpTarget target) {
        Budget b = budgets.get(target);
        return b != null ? b : budgets.computeIfAbsent(target, Budget::new);
    }

    /** Open connections to one target across all loops, and the loops waiting for one to close. */
    private final class Budget {
        private final HttpTarget target;
        private final AtomicInteger open = new AtomicInteger();
        private final ConcurrentLinkedQueue<LoopPool> waiting = new ConcurrentLinkedQueue<>();

        Budget(HttpTarget target) {
            this.target = target;
        }

        boolean tryOpen() {
            for (;;) {
                int n = open.get();
                if (n >= maxPerTarget) {
                    return false;
                }
                if (open.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void closed() {
            open.decrementAndGet();
            LoopPool p = waiting.poll();
            if (p != null) {
                p.loop.execute(() -> p.serveWaiters(target));
            }
        }
    }

    private record Waiter(String node, Acquirer acquirer, ScheduledFuture<?>[] timer) {
    }

    /** The pools of one event loop; touched only on that loop. */
    final class LoopPool {
        private final EventLoop loop;
        private final Transport transport;
        private final Map<HttpTarget, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
        private final Map<HttpTarget, ArrayDeque<Waiter>> waiters = new HashMap<>();
        private volatile int idleCount;

        LoopPool(EventLoop loop, Transport transport) {
            this.loop = loop;
            this.transport = transport;
            long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleEvictNanos) / 4);
            loop.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
        }

        void acquire(HttpTarget target, String node, boolean fresh, Acquirer acquirer) {
            if (!fresh) {
                UpstreamConnection c = pollIdle(target);
                if (c != null) {
                    c.reused = true;
                    acquirer.acquired(c);
                    return;
                }
            }
            Budget budget = budget(target);
            if (budget.tryOpen()) {
                connect(target, node, acquirer, budget);
                return;
            }
            ArrayDeque<Waiter> queue = waiters.computeIfAbsent(target, t -> new ArrayDeque<>());
            Waiter w = new Waiter(node, acquirer, new ScheduledFuture<?>[1]);
            queue.add(w);
            w.timer[0] = loop.schedule(() -> {
                if (queue.remove(w)) {
                    if (queue.isEmpty()) {
                        stopWaiting(budget);
                    }
                    acquirer.failed(new ConnectTimeoutException("no free connection to " + target));
                }
            }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
            budget.waiting.add(this);
        }

        /** Takes back a connection whose exchange ended cleanly. */
        void release(UpstreamConnection c) {
            ArrayDeque<Waiter> queue = waiters.get(c.target);
            Waiter w = queue == null ? null : queue.poll();
            if (w != null) {
                w.timer[0].cancel(false);
                if (queue.isEmpty()) {
                    stopWaiting(budget(c.target));
                }
                c.reused = true;
                w.acquirer.acquired(c);
                return;
            }
            if (!budget(c.target).waiting.isEmpty()) {
                c.channel.close(); // another loop waits for a free slot: closing gives it one
                return;
            }
            c.idleSinceNanos = System.nanoTime();
            idle.computeIfAbsent(c.target, t -> new ArrayDeque<>()).addFirst(c);
            idleCount++;
        }

        private UpstreamConnection pollIdle(HttpTarget target) {
            ArrayDeque<UpstreamConnection> q = idle.get(target);
            if (q == null) {
                return null;
            }
            UpstreamConnection c;
            long now = System.nanoTime();
            // Most recently used first: the rest age out and get evicted when traffic drops.
            while ((c = q.pollFirst()) != null) {
                idleCount--;
                if (c.channel.isActive() && now - c.idleSinceNanos < idleEvictNanos) {
                    return c;
                }
                c.channel.close();
            }
            return null;
        }

        private void serveWaiters(HttpTarget target) {
            ArrayDeque<Waiter> queue = waiters.get(target);
            if (queue == null || queue.isEmpty()) {
                return;
            }
            Budget budget = budget(target);
            while (!queue.isEmpty() && budget.tryOpen()) {
                Waiter w = queue.poll();
                w.timer[0].cancel(false);
                connect(target, w.node, w.acquirer, budget);
            }
            if (!queue.isEmpty()) {
                budget.waiting.add(this);
            } else {
                stopWaiting(budget);
            }
        }

        /**
         * This loop has no more waiters for the budget's target: its entries in the budget's waiting list would
         * otherwise make every release close its connection (see {@link #release}) and take the wake-up meant for
         * another loop.
         */
        private void stopWaiting(Budget budget) {
            budget.waiting.removeIf(p -> p == this);
        }

        private void connect(HttpTarget target, String node, Acquirer acquirer, Budget budget) {
            UpstreamConnection c = new UpstreamConnection(target, node, this);
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(target.isUnixSocket() ? transport.domainSocketChannel() : transport.socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .resolver(OffLoopResolver.SHARED) // a node's name is looked up off this client-serving loop
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            HttpDecoderConfig config = new HttpDecoderConfig()
                                    .setMaxInitialLineLength(MAX_RESPONSE_LINE_BYTES)
                                    .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                                    .setMaxChunkSize(MAX_CHUNK_BYTES);
                            ch.pipeline()
                                    .addLast("codec", new HttpClientCodec(config, false, false))
                                    .addLast("upstream", c);
                        }
                    });
            if (!target.isUnixSocket()) {
                b.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
            }
            ChannelFuture f = b.connect(target.socketAddress());
            c.channel = f.channel();
            boolean[] opened = new boolean[1];
            c.channel.closeFuture().addListener(x -> {
                ArrayDeque<UpstreamConnection> q = idle.get(target);
                if (q != null && q.remove(c)) {
                    idleCount--;
                }
                if (opened[0]) {
                    metrics.upstreamConnectionClosed(node);
                }
                budget.closed();
            });
            f.addListener(x -> {
                if (x.isSuccess()) {
                    opened[0] = true;
                    metrics.upstreamConnectionOpened(node);
                    acquirer.acquired(c);
                } else {
                    acquirer.failed(x.cause());
                }
            });
        }

        private void evictIdle() {
            long now = System.nanoTime();
            for (Iterator<ArrayDeque<UpstreamConnection>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<UpstreamConnection> q = it.next();
                UpstreamConnection oldest;
                while ((oldest = q.peekLast()) != null && now - oldest.idleSinceNanos >= idleEvictNanos) {
                    q.pollLast();
                    idleCount--;
                    oldest.channel.close();
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}
