package io.lmcache.common.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The I/O transport: native epoll or io_uring where the kernel and the bundled natives allow, NIO otherwise.
 * One value decides the event-loop kind and every channel class, so a proxy's upstream channels always match the
 * loop of the inbound channel that owns them.
 */
public enum Transport {
    EPOLL, IO_URING, NIO;

    /**
     * Resolves an operator's choice ({@code auto|epoll|io_uring|nio}). {@code auto} prefers epoll (as fast as io_uring
     * for this workload and available on every Linux), then NIO. An explicit native choice that is unavailable fails
     * with the reason, rather than silently running something else.
     */
    public static Transport select(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (c) {
            case "auto":
                return Epoll.isAvailable() ? EPOLL : NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("epoll transport unavailable: " + Epoll.unavailabilityCause());
                }
                return EPOLL;
            case "io_uring":
            case "iouring":
                if (!IoUring.isAvailable()) {
                    throw new IllegalArgumentException("io_uring transport unavailable: " + IoUring.unavailabilityCause());
                }
                return IO_URING;
            case "nio":
                return NIO;
            default:
                throw new IllegalArgumentException("unknown transport '" + choice + "'; choose auto, epoll, io_uring or nio");
        }
    }

    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** A new event-loop group of {@code threads} threads (0 = Netty's default of 2 × cores). */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends Channel> socketChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** Unix domain socket client channel of this transport (NIO uses Java 16+'s domain sockets). */
    public Class<? extends Channel> domainSocketChannel() {
        return switch (this) {
            case EPOLL -> EpollDomainSocketChannel.class;
            case IO_URING -> IoUringDomainSocketChannel.class;
            case NIO -> NioDomainSocketChannel.class;
        };
    }

    /** Transport for the given channel's loop, so that a client channel can join an inbound channel's event loop. */
    public static Transport of(Channel channel) {
        if (channel instanceof EpollSocketChannel || channel instanceof EpollServerSocketChannel
                || channel instanceof EpollDomainSocketChannel) {
            return EPOLL;
        }
        if (channel instanceof IoUringSocketChannel || channel instanceof IoUringServerSocketChannel
                || channel instanceof IoUringDomainSocketChannel) {
            return IO_URING;
        }
        return NIO;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
