package io.lmcache.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryEncodingTest {
    @Test
    void values_are_encoded_as_pythons_quote_plus_does() {
        assertThat(QueryEncoding.quotePlus("http://10.0.0.1:8085")).isEqualTo("http%3A%2F%2F10.0.0.1%3A8085");
        assertThat(QueryEncoding.quotePlus("{\"a\": 1, \"b\": \"x y\"}"))
                .isEqualTo("%7B%22a%22%3A+1%2C+%22b%22%3A+%22x+y%22%7D");
        assertThat(QueryEncoding.quotePlus("a~b_c.d-e*f")).isEqualTo("a~b_c.d-e%2Af");
        assertThat(QueryEncoding.quotePlus("é")).isEqualTo("%C3%A9");
    }

    @Test
    void parameters_keep_their_order() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("b", "2");
        p.put("a", "1 1");
        assertThat(QueryEncoding.urlencode(p)).isEqualTo("b=2&a=1+1");
    }
}
