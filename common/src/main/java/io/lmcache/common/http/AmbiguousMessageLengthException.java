package io.lmcache.common.http;

import io.netty.handler.codec.DecoderException;

/**
 * A request carried both {@code Transfer-Encoding} and {@code Content-Length}. RFC 9112 §6.1 lets a server reject it and
 * requires closing the connection either way; we reject, since a proxy that guesses differently from the next hop is
 * the textbook request-smuggling vector.
 */
public final class AmbiguousMessageLengthException extends DecoderException {
    public AmbiguousMessageLengthException() {
        super("request has both Transfer-Encoding and Content-Length");
    }
}
