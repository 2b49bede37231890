package io.polyvisor.history;

import io.polyvisor.spi.Usage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UsageHistoryTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    final UsageHistory<String> history = new UsageHistory<>();

    static Usage use(double cores, long bytes) {
        return new Usage(cores, bytes, -1);
    }

    @Test
    void keepsTheLatestMeasurementOfEachTenSecondStepOldestFirst() {
        history.record(T0.plusSeconds(1), Map.of("h1", use(1, 100)));
        history.record(T0.plusSeconds(7), Map.of("h1", use(2, 200))); // same step: replaces
        history.record(T0.plusSeconds(12), Map.of("h1", use(3, 300)));
        history.record(T0.plusSeconds(31), Map.of("h1", use(4, 400))); // step 20..30 has no measurement
        assertThat(history.of("h1", T0.plusSeconds(35))).containsExactly(
                new UsageHistory.Sample(T0, 2, 200),
                new UsageHistory.Sample(T0.plusSeconds(10), 3, 300),
                new UsageHistory.Sample(T0.plusSeconds(30), 4, 400));
        assertThat(history.of("h2", T0.plusSeconds(35))).isEmpty();
    }

    @Test
    void holdsTheLastHourOnly() {
        for (int s = 0; s < 2 * 3600; s += 10) history.record(T0.plusSeconds(s), Map.of("h1", use(s, s)));
        Instant now = T0.plusSeconds(2 * 3600 - 10);
        var samples = history.of("h1", now);
        assertThat(samples).hasSize(360);
        assertThat(samples.getFirst().at()).isEqualTo(now.minusSeconds(3590));
        assertThat(samples.getLast()).isEqualTo(new UsageHistory.Sample(now, 7190, 7190));
        // read later, the window slides even with no new measurement
        assertThat(history.of("h1", now.plusSeconds(1800))).hasSize(180);
    }

    @Test
    void dropsASeriesSilentForAWholeHour() {
        history.record(T0, Map.of("gone", use(1, 1), "kept", use(1, 1)));
        history.record(T0.plusSeconds(3590), Map.of("kept", use(1, 1)));
        assertThat(history.size()).isEqualTo(2);
        history.record(T0.plusSeconds(3600), Map.of("kept", use(1, 1)));
        assertThat(history.size()).isEqualTo(1);
        assertThat(history.of("gone", T0.plusSeconds(3600))).isEmpty();
    }
}
