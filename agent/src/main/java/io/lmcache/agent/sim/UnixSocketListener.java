package io.lmcache.agent.sim;

import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Serves the same routes on a Unix domain socket, as an MP server started with {@code http_socket_path} does. Uses the
 * epoll transport's socket channel when the TCP side runs on epoll, Java's own domain sockets otherwise.
 */
final class UnixSocketListener implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Path path;

    UnixSocketListener(Path path, Transport transport, HttpLimits limits, Router router) throws InterruptedException {
        this.path = path;
        Transport t = transport == Transport.EPOLL ? Transport.EPOLL : Transport.NIO;
        Class<? extends ServerChannel> channelClass =
                t == Transport.EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
        SocketAddress address = t == Transport.EPOLL ? new DomainSocketAddress(path.toFile())
                : UnixDomainSocketAddress.of(path);
        try {
            Files.deleteIfExists(path); // a stale socket file from a crashed run would make bind fail
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot remove stale socket " + path + ": " + e.getMessage(), e);
        }
        this.group = t.newGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("sim-uds", true));
        try {
            this.channel = new ServerBootstrap().group(group).channel(channelClass)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            HttpServer.addLocalHandlers(ch.pipeline(), limits, router);
                        }
                    })
                    .bind(address).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
