package io.lmcache.agent.heartbeat;

import static io.lmcache.agent.heartbeat.HeartbeatService.jitterBoundMillis;
import static io.lmcache.agent.heartbeat.HeartbeatService.nextSlotNanos;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeatScheduleTest {
    @Test
    void the_next_beat_stays_on_the_grid_whatever_the_previous_one_cost() {
        assertThat(nextSlotNanos(0, 1, 1_000)).isEqualTo(1_000);
        assertThat(nextSlotNanos(0, 999, 1_000)).isEqualTo(1_000);
        assertThat(nextSlotNanos(5_000, 5_400, 1_000)).isEqualTo(6_000);
    }

    @Test
    void slots_missed_while_discovery_was_down_are_skipped_not_bunched() {
        assertThat(nextSlotNanos(0, 3_500, 1_000)).isEqualTo(4_000);
        assertThat(nextSlotNanos(0, 4_000, 1_000)).isEqualTo(5_000);
    }

    @Test
    void a_slot_not_yet_reached_still_moves_one_step() {
        assertThat(nextSlotNanos(2_000, 1_500, 1_000)).isEqualTo(3_000);
    }

    @Test
    void jitter_is_a_small_share_of_the_interval_and_at_most_a_second() {
        assertThat(jitterBoundMillis(30_000)).isEqualTo(1_000);
        assertThat(jitterBoundMillis(1_000)).isEqualTo(50);
        assertThat(jitterBoundMillis(10)).isZero();
    }
}
