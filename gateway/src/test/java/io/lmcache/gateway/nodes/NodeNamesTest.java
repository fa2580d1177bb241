package io.lmcache.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeNamesTest {
    @Test
    void unreserved_characters_stay_and_every_other_becomes_an_underscore() {
        assertThat(NodeNames.urlSafe("proxy_10.0.0.1_8085")).isEqualTo("proxy_10.0.0.1_8085");
        assertThat(NodeNames.urlSafe("a-b~c.d_e")).isEqualTo("a-b~c.d_e");
        assertThat(NodeNames.urlSafe("my node/1?x=%")).isEqualTo("my_node_1_x__");
        assertThat(NodeNames.urlSafe("überknoten")).isEqualTo("_berknoten");
        assertThat(NodeNames.urlSafe("")).isEqualTo("node");
        assertThat(NodeNames.urlSafe(null)).isEqualTo("node");
    }

    @Test
    void a_later_name_held_by_another_address_gets_the_first_free_suffix() {
        NodeNames.Scope scope = new NodeNames.Scope();
        assertThat(scope.claim("n", "h:1")).isEqualTo("n");
        assertThat(scope.claim("n", "h:2")).isEqualTo("n_2");
        assertThat(scope.claim("n_3", "h:9")).isEqualTo("n_3");
        assertThat(scope.claim("n", "h:3")).isEqualTo("n_4");
    }

    @Test
    void the_same_name_at_the_same_address_is_the_same_node_and_keeps_its_name() {
        NodeNames.Scope scope = new NodeNames.Scope();
        assertThat(scope.claim("n", "h:1")).isEqualTo("n");
        assertThat(scope.claim("n", "h:1")).isEqualTo("n");
    }

    @Test
    void leaf_names_are_unique_across_proxies_and_routes_keep_the_child_gateways_own_name() {
        TreeSnapshot s = TreeSnapshot.build(List.of(
                new FleetEntry("gw one", "127.0.0.1", "9001", true, List.of(
                        new FleetLeaf("n1", "10.0.0.1", "8001", null),
                        new FleetLeaf("n1", "10.0.0.1", "8001", null))),
                new FleetEntry("gw2", "127.0.0.1", "9002", true, List.of(
                        new FleetLeaf("n1", "10.0.0.2", "8001", "up"))),
                new FleetEntry("gw2", "127.0.0.1", "9003", false, List.of(
                        new FleetLeaf("solo", "127.0.0.1", "9003", null)))), 1, 1);

        assertThat(s.tree.proxies()).extracting(ProxyNode::name).containsExactly("gw_one", "gw2", "gw2_2");
        assertThat(s.tree.proxies().get(0).nodes()).extracting(Leaf::name).containsExactly("n1");
        assertThat(s.tree.proxies().get(1).nodes()).extracting(Leaf::name).containsExactly("n1_2");
        assertThat(s.routes.get("n1_2").target().port()).isEqualTo("9002");
        assertThat(s.routes.get("n1_2").pathPrefix()).isEqualTo("/proxy2/n1");
        assertThat(s.routes.get("solo").pathPrefix()).isEmpty();
        assertThat(s.leafStates).containsEntry("n1_2", "up").doesNotContainKey("n1");
        assertThat(s.leafRoutes).extracting(Route::nodeName).containsExactly("n1", "n1_2", "solo");
    }
}
