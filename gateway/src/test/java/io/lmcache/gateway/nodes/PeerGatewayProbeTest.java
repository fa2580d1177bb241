package io.lmcache.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpTarget;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** Two gateways that read the same discovery probe each other: neither may become the other's MP leaf or route. */
class PeerGatewayProbeTest {
    private static final HttpTarget PEER = new HttpTarget("127.0.0.1", "9002");
    private static final BiPredicate<String, String> SELF_IS_9001 = (h, p) -> "127.0.0.1".equals(h) && "9001".equals(p);

    private static FetchResult answer(int status, String body) {
        return new FetchResult(status, new DefaultHttpHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_gateway_whose_tree_is_still_empty_is_a_gateway_not_an_mp_leaf() {
        List<FleetLeaf> leaves = ProxyProber.leavesOf(PEER, answer(200, "{\"nodes\":[]}"));
        ProxyProber.Probe probe = new ProxyProber.Probe(leaves, leaves != null, null, 200);

        FleetEntry entry = ProbedAddresses.entry(new ProbedAddresses.Address(PEER, "up"), probe, SELF_IS_9001);

        assertThat(leaves).isEmpty();
        assertThat(entry.cascade()).isTrue();
        assertThat(entry.leaves()).isEmpty();
    }

    @Test
    void an_mp_server_answering_404_or_non_json_is_its_own_leaf() {
        assertThat(ProxyProber.leavesOf(PEER, answer(404, "{\"detail\":\"Not Found\"}"))).isNull();
        assertThat(ProxyProber.leavesOf(PEER, answer(200, "<html>hello</html>"))).isNull();
        assertThat(ProxyProber.leavesOf(PEER, answer(200, "{\"status\":\"ok\"}"))).isNull();

        FleetEntry entry = ProbedAddresses.entry(new ProbedAddresses.Address(PEER, "up"),
                new ProxyProber.Probe(List.of(), false, null, 404), SELF_IS_9001);
        assertThat(entry.cascade()).isFalse();
        assertThat(entry.leaves()).hasSize(1);
    }

    @Test
    void a_peers_leaf_that_names_this_gateway_is_dropped() {
        String peerTree = "{\"nodes\":[{\"id\":\"proxy_x\",\"name\":\"proxy_127.0.0.1_9001\",\"host\":\"127.0.0.1\","
                + "\"port\":9001,\"is_proxy\":true,\"children\":[]},"
                + "{\"id\":\"proxy_mp\",\"name\":\"mp\",\"host\":\"127.0.0.1\",\"port\":8085,\"is_proxy\":true,"
                + "\"children\":[{\"id\":\"node_mp\",\"name\":\"mp\",\"host\":\"127.0.0.1\",\"port\":8085,"
                + "\"is_proxy\":false,\"proxy_id\":\"mp\"}]}]}";
        List<FleetLeaf> leaves = ProxyProber.leavesOf(PEER, answer(200, peerTree));

        FleetEntry entry = ProbedAddresses.entry(new ProbedAddresses.Address(PEER, "up"),
                new ProxyProber.Probe(leaves, true, null, 200), SELF_IS_9001);

        assertThat(leaves).extracting(FleetLeaf::port).containsExactly("9001", "8085");
        assertThat(entry.cascade()).isTrue();
        assertThat(entry.leaves()).extracting(FleetLeaf::port).containsExactly("8085");
    }
}
