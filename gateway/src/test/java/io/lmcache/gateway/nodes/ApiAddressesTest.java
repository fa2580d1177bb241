package io.lmcache.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmcache.common.client.HttpTarget;
import org.junit.jupiter.api.Test;

class ApiAddressesTest {
    @Test
    void plain_http_addresses_with_a_port_are_accepted() {
        assertThat(ApiAddresses.parse("http://10.0.0.1:8085")).isEqualTo(HttpTarget.of("10.0.0.1", 8085));
        assertThat(ApiAddresses.parse("http://node-1.example:80/")).isEqualTo(HttpTarget.of("node-1.example", 80));
        assertThat(ApiAddresses.parse("10.0.0.1:8085")).isEqualTo(HttpTarget.of("10.0.0.1", 8085));
        assertThat(ApiAddresses.parse(" HTTP://10.0.0.1:8085 ")).isEqualTo(HttpTarget.of("10.0.0.1", 8085));
        assertThat(ApiAddresses.parse("http://[fe80::1]:8000")).isEqualTo(HttpTarget.of("fe80::1", 8000));
    }

    @Test
    void what_the_gateway_cannot_reach_as_given_is_refused_with_a_reason() {
        assertThatThrownBy(() -> ApiAddresses.parse("https://10.0.0.1:8443")).hasMessageContaining("not http://");
        assertThatThrownBy(() -> ApiAddresses.parse("http://10.0.0.1")).hasMessageContaining("no port");
        assertThatThrownBy(() -> ApiAddresses.parse("http://10.0.0.1:80/api")).hasMessageContaining("more than");
        assertThatThrownBy(() -> ApiAddresses.parse("http://10.0.0.1:80?x=1")).hasMessageContaining("more than");
        assertThatThrownBy(() -> ApiAddresses.parse("http://u:p@10.0.0.1:80")).hasMessageContaining("more than");
        assertThatThrownBy(() -> ApiAddresses.parse("http://10.0.0.1:99999")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiAddresses.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ApiAddresses.parse("::1:80")).isInstanceOf(IllegalArgumentException.class);
    }
}
