package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PreCopyTest {

    @ParameterizedTest(name = "{0} MiB dirtying {1} MiB/s over {2} MiB/s: {3} rounds, {4} ms live, {5} ms paused")
    @CsvSource({
            // memory, dirty, bandwidth (MiB, MiB/s, MiB/s) -> rounds, live ms, downtime ms
            "1024,    0, 1024,  1, 1000,    0",   // nothing dirtied: one pass, no pause
            "1024,  256, 1024,  1, 1000,  250",   // 256 MiB left fits the 300 ms budget
            "1024,  512, 1024,  2, 1500,  250",   // 512 MiB (500 ms) is too much: one more round, then 256 MiB
            "2048,    0,  512,  1, 4000,    0",   // time is memory / bandwidth
            "1024, 2048, 1024, 30, 30000, 1000",  // dirtier than the link: never converges, paused for the whole memory
    })
    void plansRoundsUntilTheRestFitsTheDowntimeBudget(long mem, long dirty, long bw, int rounds, long liveMs, long downMs) {
        var p = PreCopy.plan(mem * Sizes.MiB, dirty * Sizes.MiB, bw * Sizes.MiB, Duration.ofMillis(300), 30);
        assertThat(p.rounds()).isEqualTo(rounds);
        assertThat(p.live().toMillis()).isEqualTo(liveMs);
        assertThat(p.downtime().toMillis()).isEqualTo(downMs);
        assertThat(p.total()).isEqualTo(p.live().plus(p.downtime()));
    }
}
