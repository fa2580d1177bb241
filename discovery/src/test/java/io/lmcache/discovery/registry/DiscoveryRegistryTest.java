package io.lmcache.discovery.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmcache.discovery.FakeClock;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscoveryRegistryTest {
    private static final long TTL_MILLIS = 90_000;

    private final FakeClock clock = new FakeClock();
    private final DiscoveryRegistry registry =
            DiscoveryRegistry.create(TTL_MILLIS, 3, clock.nanoTime(), clock.wall());

    @AfterEach
    void close() {
        registry.close();
    }

    private void beat(String address) throws RejectedException {
        registry.heartbeat(address, "42", "0.3.9", "{}");
    }

    @Test
    void a_first_heartbeat_registers_and_a_repeat_only_updates() throws RejectedException {
        assertThat(registry.heartbeat("http://10.0.0.5:8085", "1", "v1", "{\"a\":1}")).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(registry.heartbeat("http://10.0.0.5:8085/", "2", "v2", "{\"a\":2}")).isFalse();

        assertThat(registry.snapshot()).singleElement().satisfies(e -> {
            assertThat(e.apiAddress()).isEqualTo("http://10.0.0.5:8085");
            assertThat(e.ipAddress()).isEqualTo("10.0.0.5");
            assertThat(e.pid()).isEqualTo(2L);
            assertThat(e.version()).isEqualTo("v2");
            assertThat(e.otherInfo()).isEqualTo("{\"a\":2}");
            assertThat(e.startTime()).isEqualTo(FakeClock.START);
            assertThat(e.lastReportTime()).isEqualTo(FakeClock.START.plusSeconds(30));
            assertThat(e.state()).isEqualTo(EntryState.UP);
        });
    }

    @Test
    void absent_fields_get_the_reference_defaults() throws RejectedException {
        registry.heartbeat("http://node:1", null, null, null);
        NodeEntry e = registry.snapshot().get(0);
        assertThat(e.pid()).isNull();
        assertThat(e.version()).isEqualTo("1.0.0");
        assertThat(e.otherInfo()).isEqualTo("{}");
        assertThat(e.ipAddress()).isNull();
    }

    @Test
    void a_node_turns_stale_at_half_the_ttl_and_is_gone_at_the_ttl() throws RejectedException {
        beat("http://a:1");
        clock.advance(Duration.ofMillis(TTL_MILLIS / 2 - 1));
        assertThat(registry.state("http://a:1")).contains(EntryState.UP);
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.state("http://a:1")).contains(EntryState.STALE);
        assertThat(registry.snapshot()).extracting(NodeEntry::state).containsExactly(EntryState.STALE);
        clock.advance(Duration.ofMillis(TTL_MILLIS / 2 - 1));
        assertThat(registry.liveApiAddresses()).containsExactly("http://a:1");
        clock.advance(Duration.ofMillis(1)); // exactly one TTL after the last heartbeat: never listed again
        assertThat(registry.liveApiAddresses()).isEmpty();
        assertThat(registry.state("http://a:1")).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void a_heartbeat_brings_a_stale_node_back_up_and_restarts_its_ttl() throws RejectedException {
        beat("http://a:1");
        clock.advance(Duration.ofSeconds(80));
        assertThat(registry.state("http://a:1")).contains(EntryState.STALE);
        beat("http://a:1");
        assertThat(registry.state("http://a:1")).contains(EntryState.UP);
        clock.advance(Duration.ofSeconds(89));
        assertThat(registry.liveApiAddresses()).containsExactly("http://a:1");
        assertThat(registry.snapshot().get(0).startTime()).isEqualTo(FakeClock.START);
    }

    @Test
    void a_sweep_evicts_expired_nodes_without_any_read() throws RejectedException {
        beat("http://a:1");
        clock.advance(Duration.ofSeconds(60));
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(30));
        assertThat(registry.sweep()).isEqualTo(1);
        assertThat(registry.sweep()).isZero();
        assertThat(registry.liveApiAddresses()).containsExactly("http://b:1");
    }

    @Test
    void nodes_are_listed_in_first_seen_order_whatever_order_they_beat_in() throws RejectedException {
        beat("http://c:1");
        beat("http://a:1");
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(10));
        beat("http://a:1");
        beat("http://c:1");
        assertThat(registry.liveApiAddresses()).containsExactly("http://c:1", "http://a:1", "http://b:1");
    }

    @Test
    void a_node_registering_again_after_expiry_gets_a_new_start_and_goes_last() throws RejectedException {
        beat("http://a:1");
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(50));
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(40)); // a expires, b does not
        beat("http://a:1");
        List<NodeEntry> entries = registry.snapshot();
        assertThat(entries).extracting(NodeEntry::apiAddress).containsExactly("http://b:1", "http://a:1");
        assertThat(entries.get(1).startTime()).isEqualTo(FakeClock.START.plusSeconds(90));
    }

    @Test
    void new_addresses_beyond_the_bound_are_refused_while_registered_ones_keep_beating() throws RejectedException {
        beat("http://a:1");
        beat("http://b:1");
        beat("http://c:1");
        assertThatThrownBy(() -> beat("http://d:1"))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Rejection.TOO_MANY_NODES));
        clock.advance(Duration.ofSeconds(10));
        assertThat(registry.heartbeat("http://b:1", "7", "x", "{}")).isFalse();
        assertThat(registry.liveApiAddresses()).containsExactly("http://a:1", "http://b:1", "http://c:1");
        assertThat(registry.snapshot().get(1).pid()).isEqualTo(7L);
    }

    @Test
    void expired_nodes_free_their_place_for_new_ones() throws RejectedException {
        beat("http://a:1");
        beat("http://b:1");
        clock.advance(Duration.ofSeconds(50));
        beat("http://c:1");
        clock.advance(Duration.ofSeconds(40));
        assertThat(registry.heartbeat("http://d:1", null, null, null)).isTrue();
        assertThat(registry.liveApiAddresses()).containsExactly("http://c:1", "http://d:1");
    }

    @Test
    void bad_fields_are_rejected_and_change_nothing() throws RejectedException {
        beat("http://a:1");
        assertRejected(() -> registry.heartbeat("http://a:1", "12x", "v", "{}"), Rejection.INVALID_PID);
        assertRejected(() -> registry.heartbeat("http://a:1", "-1", "v", "{}"), Rejection.INVALID_PID);
        assertRejected(() -> registry.heartbeat("http://a:1", "1", "v".repeat(DiscoveryRegistry.MAX_VERSION_CHARS + 1),
                "{}"), Rejection.FIELD_TOO_LARGE);
        assertRejected(() -> registry.heartbeat("http://a:1", "1", "v",
                "x".repeat(DiscoveryRegistry.MAX_OTHER_INFO_CHARS + 1)), Rejection.FIELD_TOO_LARGE);
        assertRejected(() -> registry.heartbeat("ftp://a:1", "1", "v", "{}"), Rejection.INVALID_API_ADDRESS);
        assertRejected(() -> registry.heartbeat(null, "1", "v", "{}"), Rejection.MISSING_API_ADDRESS);
        assertThat(registry.snapshot()).singleElement().satisfies(e -> {
            assertThat(e.pid()).isEqualTo(42L);
            assertThat(e.version()).isEqualTo("0.3.9");
        });
    }

    @Test
    void deregistration_removes_a_node_and_is_idempotent() throws RejectedException {
        beat("http://a:1");
        beat("http://b:1");
        assertThat(registry.deregister("HTTP://A:1/")).isTrue();
        assertThat(registry.deregister("http://a:1")).isFalse();
        assertThat(registry.liveApiAddresses()).containsExactly("http://b:1");
        assertRejected(() -> registry.deregister("nope"), Rejection.INVALID_API_ADDRESS);
    }

    @Test
    void metrics_count_heartbeats_states_evictions_rejections_and_deregistrations() throws RejectedException {
        CollectorRegistry metrics = new CollectorRegistry();
        registry.registerMetrics(metrics);
        beat("http://a:1");
        beat("http://b:1");
        beat("http://a:1");
        assertRejected(() -> registry.heartbeat("http://a:1", "x", null, null), Rejection.INVALID_PID);
        registry.deregister("http://b:1");
        beat("http://c:1");
        clock.advance(Duration.ofSeconds(50));
        beat("http://c:1");

        assertThat(value(metrics, "lmcache_discovery_heartbeats_total")).isEqualTo(5);
        assertThat(value(metrics, "lmcache_discovery_registrations_total")).isEqualTo(3);
        assertThat(value(metrics, "lmcache_discovery_deregistrations_total")).isEqualTo(1);
        assertThat(metrics.getSampleValue("lmcache_discovery_rejected_heartbeats_total",
                new String[] {"reason"}, new String[] {"invalid_pid"})).isEqualTo(1);
        assertThat(metrics.getSampleValue("lmcache_discovery_rejected_heartbeats_total",
                new String[] {"reason"}, new String[] {"too_many_nodes"})).isZero();
        assertThat(state(metrics, "up")).isEqualTo(1);
        assertThat(state(metrics, "stale")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(46)); // a expires, c has missed a beat
        assertThat(state(metrics, "stale")).isEqualTo(1);
        assertThat(state(metrics, "up")).isZero();
        assertThat(value(metrics, "lmcache_discovery_evictions_total")).isEqualTo(1);
    }

    @Test
    void invalid_settings_are_refused() {
        assertThatThrownBy(() -> DiscoveryRegistry.create(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiscoveryRegistry.create(1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double value(CollectorRegistry metrics, String name) {
        return metrics.getSampleValue(name);
    }

    private static double state(CollectorRegistry metrics, String state) {
        return metrics.getSampleValue("lmcache_discovery_nodes", new String[] {"state"}, new String[] {state});
    }

    private interface Call {
        void run() throws RejectedException;
    }

    private static void assertRejected(Call call, Rejection reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
