package io.lmcache.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builders for complete responses of local endpoints. Errors always have the reference's FastAPI shape
 * {@code {"detail": "..."}}, so clients written against the original keep working.
 */
public final class Responses {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    private Responses() {
    }

    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        return bytes(status, JSON, Json.bytes(body));
    }

    /** {@code {"detail": message}} with {@code status}. */
    public static FullHttpResponse detail(HttpResponseStatus status, String message) {
        return json(status, Map.of("detail", message));
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return bytes(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    public static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
        return of(status, contentType, Unpooled.wrappedBuffer(body));
    }

    /** A response owning {@code body}; Content-Length is set from it. */
    public static FullHttpResponse of(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    /** Copies {@code text} into a pooled buffer: for large bodies built on an event loop. */
    public static ByteBuf utf8(ByteBufAllocator alloc, CharSequence text) {
        ByteBuf buf = alloc.buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.UTF_8);
        return buf;
    }

    /** Marks {@code response} to close the connection after it is written. */
    public static FullHttpResponse closing(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
