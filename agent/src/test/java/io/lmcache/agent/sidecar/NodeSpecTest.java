package io.lmcache.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSpecTest {
    @Test
    void ports_may_be_numbers_strings_or_socket_paths() {
        List<NodeSpec> nodes = NodeSpec.parseList("[{\"name\":\"a\",\"host\":\"h\",\"port\":8001},"
                + "{\"name\":\"b\",\"host\":\"h\",\"port\":\"8002\"},{\"name\":\"c\",\"host\":\"localhost\","
                + "\"port\":\"/tmp/s.sock\",\"extra\":1}]");
        assertThat(nodes).extracting(NodeSpec::port).containsExactly("8001", "8002", "/tmp/s.sock");
        assertThat(nodes.get(2).target().isUnixSocket()).isTrue();
    }

    @Test
    void bad_lists_are_refused_with_the_reason() {
        assertThatThrownBy(() -> NodeSpec.parseList("{")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> NodeSpec.parseList("{}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> NodeSpec.parseList("[{\"name\":\"a\",\"host\":\"h\"}]"))
                .hasMessageContaining("entry 0").hasMessageContaining("port");
        assertThatThrownBy(() -> NodeSpec.parseList("[{\"name\":\"a\",\"host\":\"h\",\"port\":70000}]"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> NodeSpec.parseList("[{\"name\":\"a\",\"host\":\"h\",\"port\":true}]"))
                .hasMessageContaining("number or a string");
    }
}
