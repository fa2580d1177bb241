package io.lmcache.common.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after {@link StrictHttpServerCodec} and turns decoding failures into statuses instead of silent closes:
 * request line too long → 414, headers too large → 431, Transfer-Encoding with Content-Length or any other malformed
 * request → 400. The connection is closed after the answer, since the decoder cannot resynchronise.
 * Well-formed messages pass through untouched.
 */
public final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
            failed = true;
            DecoderResult result = http.decoderResult();
            ReferenceCountUtil.release(msg);
            if (msg instanceof HttpRequest) {
                reject(ctx, result.cause());
            } else {
                // A broken chunk in the middle of a body: the response may have started, so only closing is safe.
                log.debug("closing {}: malformed request body: {}", ctx.channel(), result.cause().toString());
                ctx.close();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static void reject(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        String detail;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            detail = "Request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            detail = "Request header fields too large";
        } else if (cause instanceof AmbiguousMessageLengthException) {
            status = HttpResponseStatus.BAD_REQUEST;
            detail = "Request has both Transfer-Encoding and Content-Length";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            detail = "Malformed HTTP request";
        }
        log.debug("rejecting request on {} with {}: {}", ctx.channel(), status.code(), cause.toString());
        ctx.writeAndFlush(Responses.closing(Responses.detail(status, detail))).addListener(ChannelFutureListener.CLOSE);
    }
}
