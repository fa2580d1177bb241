package io.lmcache.agent.heartbeat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Query strings encoded exactly as Python's {@code urllib.parse.urlencode} does (space as {@code +}). */
public final class QueryEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QueryEncoding() {
    }

    /** {@code quote_plus}: letters, digits and {@code _.-~} stay; space becomes {@code +}; the rest is %XX of UTF-8. */
    public static String quotePlus(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 16);
        for (byte raw : bytes) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~') {
                b.append((char) c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return b.toString();
    }

    /** {@code urlencode(params)} in the map's iteration order. */
    public static String urlencode(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(quotePlus(k)).append('=').append(quotePlus(v));
        });
        return b.toString();
    }
}
