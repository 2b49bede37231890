package io.polyvisor.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualClockTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final VirtualClock clock = SimClock.virtual(t0);

    @Test
    void tasksRunInTimeOrderAtTheirDueTime() {
        var ran = new ArrayList<String>();
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + clock.now()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + clock.now()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("b@" + clock.now()));
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("a@" + t0.plusSeconds(1), "b@" + t0.plusSeconds(1));
        assertThat(clock.now()).isEqualTo(t0.plusSeconds(2));
        clock.advance(Duration.ofSeconds(5));
        assertThat(ran).hasSize(3).last().isEqualTo("c@" + t0.plusSeconds(3));
        assertThat(clock.now()).isEqualTo(t0.plusSeconds(7));
    }

    @Test
    void aTaskMayScheduleAnotherThatFallsDueInTheSameAdvance() {
        var ran = new ArrayList<Instant>();
        clock.schedule(Duration.ofSeconds(1), () -> clock.schedule(Duration.ofSeconds(1), () -> ran.add(clock.now())));
        clock.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly(t0.plusSeconds(2));
    }

    @Test
    void sleepingMovesTimeAndTimeNeverGoesBack() {
        clock.sleep(Duration.ofMillis(1500));
        assertThat(clock.now()).isEqualTo(t0.plusMillis(1500));
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
