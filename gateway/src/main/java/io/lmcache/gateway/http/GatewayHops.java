package io.lmcache.gateway.http;

/**
 * The hop counter every gateway-to-gateway request carries, so that a loop between gateways (a proxied request, or a
 * /metrics scrape of a cascaded leaf) ends at {@code --max-hops} instead of running until a timeout.
 */
public final class GatewayHops {
    public static final String HEADER = "X-LMCache-Gateway-Hops";

    private GatewayHops() {
    }

    /** The count in a header value: 0 when absent; {@link IllegalArgumentException} when not a non-negative integer. */
    public static int parse(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Invalid " + HEADER + " header: '" + value + "'");
    }
}
