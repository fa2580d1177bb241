package io.lmcache.common.client;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A complete, small upstream response: status, headers and the body bytes (already copied off-heap buffers). */
public record FetchResult(int status, HttpHeaders headers, byte[] body) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
