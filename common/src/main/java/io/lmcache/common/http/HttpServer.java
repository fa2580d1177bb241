package io.lmcache.common.http;

import io.lmcache.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound Netty server with its own event loops. {@link #close()} stops accepting, lets in-flight work finish for a
 * short quiet period, then releases the loops; it is what SIGTERM handlers call.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final Transport transport;

    private HttpServer(String name, EventLoopGroup boss, EventLoopGroup workers, Channel channel, Transport transport) {
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.transport = transport;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves each connection with {@code initializer}.
     *
     * @param workerThreads event-loop threads for connections; 0 means one per core
     */
    public static HttpServer start(String name, String host, int port, Transport transport, int workerThreads,
                                   ChannelInitializer<? extends Channel> initializer) throws InterruptedException {
        int threads = workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
        EventLoopGroup boss = transport.newGroup(1, new DefaultThreadFactory(name + "-accept"));
        EventLoopGroup workers = transport.newGroup(threads, new DefaultThreadFactory(name + "-io"));
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(host, port).sync().channel();
            HttpServer server = new HttpServer(name, boss, workers, ch, transport);
            log.info("{} listening on {}:{} ({} transport, {} I/O threads)", name, host, server.port(), transport, threads);
            return server;
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** A server for local endpoints only: strict codec, limits, aggregation, router. */
    public static HttpServer startLocal(String name, String host, int port, Transport transport, int workerThreads,
                                        HttpLimits limits, Router router) throws InterruptedException {
        return start(name, host, port, transport, workerThreads, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                addLocalHandlers(ch.pipeline(), limits, router);
            }
        });
    }

    /** The handlers of a local-endpoints connection (TCP or Unix socket): strict codec, limits, aggregation, router. */
    public static void addLocalHandlers(ChannelPipeline pipeline, HttpLimits limits, Router router) {
        pipeline.addLast("codec", new StrictHttpServerCodec(limits))
                .addLast("guard", new RequestGuard())
                .addLast("aggregator", new LocalBodyAggregator(limits.maxLocalBodyBytes()))
                .addLast("router", new LocalHttpHandler(router));
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        log.info("{} stopped", name);
    }
}
