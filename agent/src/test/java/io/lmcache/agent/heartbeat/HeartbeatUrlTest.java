package io.lmcache.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeartbeatUrlTest {
    @Test
    void a_url_with_a_query_gets_the_parameters_appended() {
        HeartbeatUrl u = HeartbeatUrl.parse("http://disc:5000/lmcache_heartbeat?token=abc");
        assertThat(u.target().toString()).isEqualTo("disc:5000");
        assertThat(u.pathAndQuery("a=1")).isEqualTo("/lmcache_heartbeat?token=abc&a=1");
    }

    @Test
    void the_deregistration_path_replaces_the_heartbeat_segment() {
        assertThat(HeartbeatUrl.parse("http://d:5000/lmcache_heartbeat").deregisterPathAndQuery("x=1"))
                .isEqualTo("/lmcache_deregister?x=1");
        assertThat(HeartbeatUrl.parse("http://d/base/heartbeat").deregisterPathAndQuery("x=1"))
                .isEqualTo("/base/lmcache_deregister?x=1");
        assertThat(HeartbeatUrl.parse("http://d/custom/beat").deregisterPathAndQuery("x=1")).isNull();
        assertThat(HeartbeatUrl.parse("http://d").target().port()).isEqualTo("80");
    }

    @Test
    void bad_urls_are_refused_with_the_reason() {
        assertThatThrownBy(() -> HeartbeatUrl.parse("https://d/x")).hasMessageContaining("http://");
        assertThatThrownBy(() -> HeartbeatUrl.parse("http:///x")).hasMessageContaining("no host");
        assertThatThrownBy(() -> HeartbeatUrl.parse(" ")).hasMessageContaining("required");
        assertThatThrownBy(() -> HeartbeatUrl.parse("http://d:5000/a b")).hasMessageContaining("not a URL");
    }
}
