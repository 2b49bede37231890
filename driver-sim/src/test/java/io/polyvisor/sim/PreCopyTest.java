package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.SplittableRandom;

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

    /** Invariants over 20,000 random plans: never faster than one full copy, pause bounded, budget kept when it converges. */
    @Test
    void invariantsHoldForRandomPlans() {
        var r = new SplittableRandom(2026);
        var budget = Duration.ofMillis(300);
        for (int i = 0; i < 20_000; i++) {
            long mem = (16 + r.nextLong(64 * 1024)) * Sizes.MiB;
            long bw = (1 + r.nextLong(10 * 1024)) * Sizes.MiB;
            long dirty = r.nextBoolean() ? 0 : r.nextLong(2 * bw);
            var p = PreCopy.plan(mem, dirty, bw, budget, 30);
            double oneCopy = (double) mem / bw;
            String what = mem + " bytes, dirty " + dirty + "/s, link " + bw + "/s -> " + p;
            assertThat(p.total().toNanos() / 1e9).as(what).isGreaterThanOrEqualTo(oneCopy - 1e-6);
            assertThat(p.bytes()).as(what).isGreaterThanOrEqualTo(mem);
            assertThat(p.downtime().toNanos() / 1e9).as(what).isLessThanOrEqualTo(oneCopy + 1e-6);
            assertThat(p.rounds()).as(what).isBetween(1, 30);
            if (p.rounds() < 30) assertThat(p.downtime()).as(what).isLessThanOrEqualTo(budget.plusNanos(1));
            if (dirty == 0) assertThat(p.downtime()).as(what).isZero();
        }
    }
}
