package io.lmcache.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A connect to a host name whose lookup hangs must not hang the event loop that connects. */
class OffLoopResolverTest {
    private EventLoopGroup group;
    private ExecutorService lookups;

    @BeforeEach
    void start() {
        group = Transport.NIO.newGroup(1, new DefaultThreadFactory("resolver-test", true));
        lookups = Executors.newCachedThreadPool(new DefaultThreadFactory("resolver-test-lookup", true));
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        lookups.shutdownNow();
    }

    @Test
    void the_event_loop_keeps_running_while_a_name_lookup_waits_and_the_connect_completes_after_it() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicReference<Thread> lookupThread = new AtomicReference<>();
        OffLoopResolver resolver = new OffLoopResolver(lookups, host -> {
            lookupThread.set(Thread.currentThread());
            assertThat(host).isEqualTo("node-a.example");
            try {
                answer.await(30, TimeUnit.SECONDS); // a DNS server that takes its time
            } catch (InterruptedException e) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        });
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChannelFuture connect = group.next().submit(() -> new Bootstrap().group(group)
                    .channel(Transport.NIO.socketChannel()).resolver(resolver).handler(new ChannelInboundHandlerAdapter())
                    .connect(InetSocketAddress.createUnresolved("node-a.example", origin.getLocalPort()))).get(10,
                    TimeUnit.SECONDS);

            // The loop answers other work while the lookup is outstanding.
            assertThat(group.next().submit(() -> "still serving").get(10, TimeUnit.SECONDS)).isEqualTo("still serving");
            assertThat(connect.isDone()).isFalse();
            assertThat(lookupThread.get()).isNotNull();
            assertThat(lookupThread.get().getName()).startsWith("resolver-test-lookup");

            answer.countDown();
            assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(connect.isSuccess()).as(String.valueOf(connect.cause())).isTrue();
            connect.channel().close().sync();
        }
    }

    @Test
    void an_ip_literal_is_used_as_it_is_without_a_lookup() throws Exception {
        OffLoopResolver resolver = new OffLoopResolver(lookups, host -> {
            throw new AssertionError("looked up " + host);
        });
        InetSocketAddress resolved = resolver.getResolver(group.next())
                .resolve(InetSocketAddress.createUnresolved("127.0.0.1", 80)).get(10, TimeUnit.SECONDS);
        assertThat(resolved.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(resolver.getResolver(group.next())
                .resolve(InetSocketAddress.createUnresolved("::1", 80)).get(10, TimeUnit.SECONDS).getAddress())
                .isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void an_unknown_name_fails_the_connect() throws Exception {
        OffLoopResolver resolver = new OffLoopResolver(lookups, host -> {
            throw new UnknownHostException(host);
        });
        ChannelFuture connect = group.next().submit(() -> new Bootstrap().group(group)
                .channel(Transport.NIO.socketChannel()).resolver(resolver).handler(new ChannelInboundHandlerAdapter())
                .connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80))).get(10, TimeUnit.SECONDS);
        assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(connect.cause()).isInstanceOf(UnknownHostException.class);
    }
}
