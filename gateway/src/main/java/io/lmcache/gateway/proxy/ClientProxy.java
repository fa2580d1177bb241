package io.lmcache.gateway.proxy;

import io.lmcache.common.http.Responses;
import io.lmcache.gateway.http.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The proxy side of one client connection: turns each {@code /proxy2} or {@code /proxy} request into a
 * {@link ProxyExchange}, or into a refusal. The inbound pipeline hands it request parts in order, one request at a
 * time, and tells it about the connection's writability and end. Event-loop confined.
 */
public final class ClientProxy {
    final ProxyService service;
    final Channel client;
    final ReadGate gate;
    /** The exchange receiving the current request's body (null while refusing one, or between requests). */
    private ProxyExchange receiving;
    /** The exchange that is answering (may outlive {@link #receiving} or end before it). */
    private ProxyExchange answering;
    private String clientIp;

    ClientProxy(ProxyService service, Channel client, ReadGate gate) {
        this.service = service;
        this.client = client;
        this.gate = gate;
    }

    /** Takes the next part of a proxied request; ownership moves here. */
    public void onRequestObject(HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            begin(request);
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            ProxyExchange exchange = receiving;
            if (exchange != null) {
                if (last) {
                    receiving = null;
                }
                exchange.onClientContent(content);
            } else {
                content.release(); // the body of a refused request
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(HttpRequest request) {
        Object resolved = service.targets.resolve(request);
        if (resolved instanceof ProxyTargets.Refusal refusal) {
            refuse(request, refusal);
            return;
        }
        ProxyExchange exchange = new ProxyExchange(this, request, (ProxyTargets.Destination) resolved);
        receiving = exchange;
        answering = exchange;
        exchange.start();
    }

    private void refuse(HttpRequest request, ProxyTargets.Refusal refusal) {
        FullHttpResponse r = Responses.detail(refusal.status(), refusal.detail());
        if (refusal.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            r.headers().set(HttpHeaderNames.ALLOW, ProxyTargets.ALLOW);
        }
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        boolean close = !HttpUtil.isKeepAlive(request) || bodyFollows; // do not read an unwanted body to its end
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture f = client.writeAndFlush(r);
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The end of a read batch on the client connection. */
    public void onClientReadComplete() {
        ProxyExchange exchange = receiving;
        if (exchange != null) {
            exchange.onClientReadComplete();
        }
    }

    public void onClientWritabilityChanged() {
        ProxyExchange exchange = answering;
        if (exchange != null) {
            exchange.onClientWritabilityChanged();
        }
    }

    public void onClientClosed() {
        ProxyExchange a = answering;
        ProxyExchange r = receiving;
        answering = null;
        receiving = null;
        if (a != null) {
            a.onClientClosed();
        }
        if (r != null && r != a) {
            r.onClientClosed();
        }
    }

    void exchangeEnded(ProxyExchange exchange) {
        if (answering == exchange) {
            answering = null;
        }
    }

    String clientIp() {
        if (clientIp == null) {
            SocketAddress remote = client.remoteAddress();
            clientIp = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : null;
        }
        return clientIp;
    }
}
