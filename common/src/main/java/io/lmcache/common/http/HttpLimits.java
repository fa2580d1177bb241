package io.lmcache.common.http;

/**
 * Size limits of every HTTP server in the project. Exceeding one is answered with a status (414, 431, 413 or 400) and a
 * {@code detail}, never with a silent close.
 */
public record HttpLimits(int maxInitialLineBytes, int maxHeaderBytes, int maxLocalBodyBytes) {
    /** Request line up to 16 KiB: long enough for any sane query, short enough to refuse abuse (414). */
    public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 16 * 1024;
    /** All header lines together up to 32 KiB (431). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    /** Bodies of local (aggregated) endpoints up to 1 MiB (413); proxied bodies are streamed and unbounded. */
    public static final int DEFAULT_MAX_LOCAL_BODY_BYTES = 1024 * 1024;

    public static final HttpLimits DEFAULTS =
            new HttpLimits(DEFAULT_MAX_INITIAL_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_LOCAL_BODY_BYTES);

    public HttpLimits {
        if (maxInitialLineBytes < 256 || maxHeaderBytes < 1024 || maxLocalBodyBytes < 0) {
            throw new IllegalArgumentException("HTTP limits too small: " + maxInitialLineBytes + "/" + maxHeaderBytes
                    + "/" + maxLocalBodyBytes);
        }
    }
}
