package io.lmcache.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router.Handler nodes = ex -> { };
    private final Router.Handler node = ex -> { };
    private final Router.Handler proxy = ex -> { };
    private final Router.Handler remove = ex -> { };
    private final Router.Handler slash = ex -> { };

    private final Router router = new Router()
            .get("/api/nodes", nodes)
            .get("/api/proxies/{proxy}/nodes/{node}", node)
            .delete("/api/proxies/{proxy}/nodes/{node}", remove)
            .get("/api/proxies/{proxy}", proxy)
            .get("/static/", slash);

    @Test
    void literal_paths_match_exactly() {
        Router.Match m = router.match(HttpMethod.GET, "/api/nodes");
        assertThat(m.found()).isTrue();
        assertThat(m.handler()).isSameAs(nodes);
        assertThat(m.params()).isEmpty();
    }

    @Test
    void placeholders_bind_one_segment_each() {
        Router.Match m = router.match(HttpMethod.GET, "/api/proxies/p1/nodes/n 2");
        assertThat(m.handler()).isSameAs(node);
        assertThat(m.params()).isEqualTo(Map.of("proxy", "p1", "node", "n 2"));
        assertThat(router.match(HttpMethod.DELETE, "/api/proxies/p1/nodes/n").handler()).isSameAs(remove);
    }

    @Test
    void a_placeholder_never_matches_an_empty_segment_or_several_segments() {
        assertThat(router.match(HttpMethod.GET, "/api/proxies//nodes/n").found()).isFalse();
        assertThat(router.match(HttpMethod.GET, "/api/proxies/a/b").found()).isFalse();
    }

    @Test
    void a_trailing_slash_is_significant() {
        assertThat(router.match(HttpMethod.GET, "/api/nodes/").found()).isFalse();
        assertThat(router.match(HttpMethod.GET, "/static/").handler()).isSameAs(slash);
        assertThat(router.match(HttpMethod.GET, "/static").found()).isFalse();
    }

    @Test
    void an_unknown_path_is_not_found_and_allows_nothing() {
        Router.Match m = router.match(HttpMethod.GET, "/nothing/here");
        assertThat(m.found()).isFalse();
        assertThat(m.methodNotAllowed()).isFalse();
        assertThat(router.match(HttpMethod.GET, "/").found()).isFalse();
    }

    @Test
    void a_known_path_with_another_method_is_405_listing_the_allowed_methods() {
        Router.Match m = router.match(HttpMethod.POST, "/api/proxies/p/nodes/n");
        assertThat(m.found()).isFalse();
        assertThat(m.methodNotAllowed()).isTrue();
        assertThat(m.allowed()).containsExactly(HttpMethod.GET, HttpMethod.DELETE);
    }

    @Test
    void head_is_served_by_get_routes() {
        assertThat(router.match(HttpMethod.HEAD, "/api/nodes").handler()).isSameAs(nodes);
        assertThat(router.match(HttpMethod.HEAD, "/api/proxies/p/nodes/n").handler()).isSameAs(node);
    }

    @Test
    void routes_are_tried_in_the_order_they_were_added() {
        Router.Handler first = ex -> { };
        Router.Handler second = ex -> { };
        Router r = new Router().get("/a/{x}", first).get("/a/b", second);
        assertThat(r.match(HttpMethod.GET, "/a/b").handler()).isSameAs(first);
    }

    @Test
    void templates_must_be_absolute() {
        assertThatThrownBy(() -> new Router().get("api", nodes)).isInstanceOf(IllegalArgumentException.class);
    }
}
