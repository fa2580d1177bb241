package io.lmcache.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmcache.common.client.HttpTarget;
import io.lmcache.gateway.SelfAddress;
import io.lmcache.gateway.nodes.Route;
import io.lmcache.gateway.testing.FakeNodeDirectory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Where requests go, and the SSRF matrix of where they must not. */
class ProxyTargetsTest {
    private static final int SELF_PORT = 8000;

    private final FakeNodeDirectory nodes = new FakeNodeDirectory()
            .node("mp1", "10.0.0.5", "8080")
            .node("sock", "localhost", "/tmp/mp.sock")
            .node("local_proxy", "0.0.0.0", Integer.toString(SELF_PORT))
            .route(new Route("leaf-a", new HttpTarget("10.0.0.9", "8001"), "/proxy2/leaf-a"))
            .node("a b/c", "10.0.0.6", "8080");
    private final ProxyTargets targets =
            new ProxyTargets(nodes, new SelfAddressCheck(new SelfAddress("0.0.0.0", SELF_PORT)), 4);

    private Object resolve(HttpMethod method, String uri, Integer hops) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (hops != null) {
            r.headers().set(ProxyTargets.HOPS_HEADER, hops);
        }
        return targets.resolve(r);
    }

    private Object resolve(String uri) {
        return resolve(HttpMethod.GET, uri, null);
    }

    private static ProxyTargets.Destination destination(Object o) {
        assertThat(o).isInstanceOf(ProxyTargets.Destination.class);
        return (ProxyTargets.Destination) o;
    }

    private static void refused(Object o, int status, String detail) {
        assertThat(o).isInstanceOf(ProxyTargets.Refusal.class);
        ProxyTargets.Refusal r = (ProxyTargets.Refusal) o;
        assertThat(r.status().code()).isEqualTo(status);
        assertThat(r.detail()).isEqualTo(detail);
    }

    @Test
    void a_node_name_routes_with_the_raw_path_and_query_byte_for_byte() {
        ProxyTargets.Destination d = destination(resolve("/proxy2/mp1/api/status?a=1&a=2&b=%2F+x"));
        assertThat(d.target()).isEqualTo(new HttpTarget("10.0.0.5", "8080"));
        assertThat(d.upstreamUri()).isEqualTo("/api/status?a=1&a=2&b=%2F+x");
        assertThat(d.node()).isEqualTo("mp1");
        assertThat(d.hops()).isEqualTo(1);
    }

    @Test
    void an_empty_path_forwards_the_root_and_a_missing_slash_is_not_found() {
        assertThat(destination(resolve("/proxy2/mp1/")).upstreamUri()).isEqualTo("/");
        refused(resolve("/proxy2/mp1"), 404, "Not Found");
        refused(resolve("/proxy2/mp1?x=/y"), 404, "Not Found");
        refused(resolve("/proxy2//x"), 404, "Not Found");
    }

    @Test
    void node_names_are_percent_decoded_and_unknown_ones_are_404() {
        assertThat(destination(resolve("/proxy2/a%20b%2Fc/x")).node()).isEqualTo("a b/c");
        refused(resolve("/proxy2/nope/x"), 404, "Node with name 'nope' not found");
        refused(resolve("/proxy2/bad%zz/x"), 400, "Malformed percent-encoding in 'bad%zz'");
    }

    @Test
    void a_leaf_behind_a_child_gateway_gets_its_path_prefix() {
        ProxyTargets.Destination d = destination(resolve("/proxy2/leaf-a/metrics"));
        assertThat(d.target()).isEqualTo(new HttpTarget("10.0.0.9", "8001"));
        assertThat(d.upstreamUri()).isEqualTo("/proxy2/leaf-a/metrics");
    }

    @Test
    void proxy_by_address_reaches_only_registered_targets() {
        ProxyTargets.Destination d = destination(resolve("/proxy/10.0.0.5/8080/v?x=1"));
        assertThat(d.target()).isEqualTo(new HttpTarget("10.0.0.5", "8080"));
        assertThat(d.upstreamUri()).isEqualTo("/v?x=1");
        refused(resolve("/proxy/10.0.0.5/8081/v"), 403, "Target 10.0.0.5:8081 is not a registered node");
        refused(resolve("/proxy/169.254.169.254/80/latest/meta-data"), 403,
                "Target 169.254.169.254:80 is not a registered node");
    }

    @Test
    void socket_paths_are_decoded_twice_and_must_be_registered_too() {
        ProxyTargets.Destination d = destination(resolve("/proxy/localhost/%252Ftmp%252Fmp.sock/status"));
        assertThat(d.target().isUnixSocket()).isTrue();
        assertThat(d.target().port()).isEqualTo("/tmp/mp.sock");
        refused(resolve("/proxy/localhost/%252Fvar%252Frun%252Fdocker.sock/containers/json"), 403,
                "Target localhost:/var/run/docker.sock is not a registered node");
        // Single-encoded also works here (the reference's router would 404); registration still decides.
        assertThat(destination(resolve("/proxy/localhost/%2Ftmp%2Fmp.sock/status")).target().port())
                .isEqualTo("/tmp/mp.sock");
    }

    @Test
    void the_gateway_never_proxies_to_itself() {
        nodes.node("self-by-loopback", "127.0.0.1", Integer.toString(SELF_PORT));
        nodes.node("self-by-name", "localhost", Integer.toString(SELF_PORT));
        refused(resolve("/proxy2/local_proxy/api/nodes"), 508,
                "Refusing to proxy to the gateway itself (0.0.0.0:8000)");
        refused(resolve("/proxy/0.0.0.0/8000/proxy/0.0.0.0/8000/x"), 508,
                "Refusing to proxy to the gateway itself (0.0.0.0:8000)");
        refused(resolve("/proxy2/self-by-loopback/x"), 508, "Refusing to proxy to the gateway itself (127.0.0.1:8000)");
        refused(resolve("/proxy2/self-by-name/x"), 508, "Refusing to proxy to the gateway itself (localhost:8000)");
    }

    @Test
    void the_hop_count_is_bounded() {
        assertThat(destination(resolve(HttpMethod.GET, "/proxy2/mp1/x", 3)).hops()).isEqualTo(4);
        refused(resolve(HttpMethod.GET, "/proxy2/mp1/x", 4), 508,
                "Too many gateway hops (4); the limit is 4, is there a proxy loop?");
        refused(resolve(HttpMethod.GET, "/proxy2/mp1/x", -1), 400, "Invalid X-LMCache-Gateway-Hops header: '-1'");
    }

    @Test
    void seven_methods_are_proxied_and_others_are_405() {
        for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
                HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.HEAD}) {
            destination(resolve(m, "/proxy2/mp1/x", null));
        }
        refused(resolve(HttpMethod.TRACE, "/proxy2/mp1/x", null), 405, "Method Not Allowed");
        refused(resolve(HttpMethod.CONNECT, "/proxy2/mp1/x", null), 405, "Method Not Allowed");
    }
}
