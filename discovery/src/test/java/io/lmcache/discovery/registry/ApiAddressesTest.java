package io.lmcache.discovery.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ApiAddressesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://10.0.0.5:8085, http://10.0.0.5:8085",
        "http://10.0.0.5:8085/, http://10.0.0.5:8085",
        "HTTP://Node-A.Example:8000, http://node-a.example:8000",
        "https://node:443/lmcache/, https://node:443/lmcache",
        "' http://node:1 ', http://node:1",
        "http://[::1]:8000, http://[::1]:8000",
    })
    void accepted_addresses_are_normalised(String raw, String normalised) throws RejectedException {
        assertThat(ApiAddresses.normalise(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not a url", "node:8000", "ftp://node:21", "file:///etc/passwd", "http://:8000",
        "http:///path", "http://node", "http://node:0", "http://user@node:80", "http://node:80/?q=1",
        "http://node:80/#frag", "//node:80", "javascript:alert(1)"})
    void malformed_addresses_are_rejected_as_invalid(String raw) {
        assertThatThrownBy(() -> ApiAddresses.normalise(raw))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Rejection.INVALID_API_ADDRESS))
                .hasMessageContaining("http(s)://host:port");
    }

    @Test
    void missing_and_blank_addresses_are_rejected_as_missing() {
        for (String raw : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> ApiAddresses.normalise(raw))
                    .isInstanceOfSatisfying(RejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Rejection.MISSING_API_ADDRESS));
        }
    }

    @Test
    void an_overlong_address_is_rejected_as_too_large() {
        String raw = "http://node:80/" + "a".repeat(ApiAddresses.MAX_API_ADDRESS_CHARS);
        assertThatThrownBy(() -> ApiAddresses.normalise(raw))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Rejection.FIELD_TOO_LARGE));
    }

    @Test
    void ip_literal_hosts_are_reported_and_names_are_not() {
        assertThat(ApiAddresses.ipLiteral("http://10.0.0.5:8085")).isEqualTo("10.0.0.5");
        assertThat(ApiAddresses.ipLiteral("http://[::1]:8085")).isEqualTo("::1");
        assertThat(ApiAddresses.ipLiteral("http://node-a:8085")).isNull();
    }
}
