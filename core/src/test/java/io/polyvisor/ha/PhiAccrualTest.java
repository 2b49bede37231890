package io.polyvisor.ha;

import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhiAccrualTest {
    final PhiAccrual detector = new PhiAccrual(DetectorSettings.DEFAULTS);

    HeartbeatHistory regular(int intervalMillis, int beats) {
        var h = detector.start(0);
        for (int i = 1; i <= beats; i++) h = h.record((long) i * intervalMillis);
        return h;
    }

    @Test
    void regularHeartbeatsEvery200msGiveSuspectThenUnreachableWithinTheTwoSecondTarget() {
        var h = regular(200, 50); // last heartbeat at 10 000
        assertThat(detector.level(h, 10_200)).isEqualTo(Suspicion.HEALTHY);
        assertThat(detector.level(h, 10_800)).isEqualTo(Suspicion.HEALTHY);
        assertThat(detector.level(h, 11_200)).isEqualTo(Suspicion.SUSPECT);
        assertThat(detector.level(h, 11_400)).isEqualTo(Suspicion.SUSPECT);
        assertThat(detector.level(h, 11_600)).isEqualTo(Suspicion.UNREACHABLE);
        assertThat(firstUnreachable(h)).isBetween(11_400L, 11_600L);
    }

    @Test
    void jitteryHeartbeatsEarnMorePatienceThanRegularOnes() {
        var jittery = detector.start(0);
        long t = 0;
        for (int i = 0; i < 50; i++) jittery = jittery.record(t += (i % 2 == 0 ? 50 : 650));
        var steady = regular(350, 50);
        long jitterySilence = firstUnreachable(jittery) - jittery.lastMillis();
        long steadySilence = firstUnreachable(steady) - steady.lastMillis();
        assertThat(jitterySilence).isGreaterThan(steadySilence + 500);
    }

    @Test
    void aHostWithOnlyItsFirstHeartbeatUsesTheAssumedInterval() {
        var h = detector.start(1_000);
        assertThat(detector.level(h, 1_100)).isEqualTo(Suspicion.HEALTHY);
        assertThat(detector.level(h, 3_000)).isEqualTo(Suspicion.UNREACHABLE);
    }

    @Test
    void lateOrRepeatedHeartbeatsDoNotRewindHistory() {
        var h = regular(200, 5);
        assertThat(h.record(500)).isSameAs(h);
        assertThat(h.record(1_000)).isSameAs(h);
    }

    @Test
    void phiStopsAtItsCapInsteadOfFallingBackWhenTheProbabilityUnderflows() {
        var h = regular(108, 20); // found by phiNeverDecreasesAsSilenceGrows: 323.3 at 3067 ms, then 300 at 3068 ms
        assertThat(detector.phi(h, h.lastMillis() + 3067)).isEqualTo(PhiAccrual.MAX_PHI);
        assertThat(detector.phi(h, h.lastMillis() + 3068)).isEqualTo(PhiAccrual.MAX_PHI);
    }

    /** Heartbeats every {@code interval} ms, then two silences {@code a} and {@code b} ms after the last one. */
    record Silences(int interval, int a, int b) {}

    static final Gen<Integer> INTERVALS = Gen.ints(20, 2000);

    @Test
    void phiNeverDecreasesAsSilenceGrows() {
        var silences = Gen.zip(INTERVALS, Gen.ints(0, 20_000), Gen.ints(0, 20_000), Silences::new);
        Property.forAll(silences).tries(200).check(s -> {
            var h = regular(s.interval(), 20);
            long t1 = h.lastMillis() + Math.min(s.a(), s.b()), t2 = h.lastMillis() + Math.max(s.a(), s.b());
            double p1 = detector.phi(h, t1), p2 = detector.phi(h, t2);
            assertThat(p2).isGreaterThanOrEqualTo(p1);
            assertThat(p1).isFinite().isNotNegative();
        });
    }

    @Test
    void everyHostIsDeclaredUnreachableEventuallyAndHealthyRightAfterAHeartbeat() {
        Property.forAll(INTERVALS).tries(100).check(interval -> {
            var h = regular(interval, 30);
            assertThat(detector.level(h, h.lastMillis())).isEqualTo(Suspicion.HEALTHY);
            assertThat(detector.level(h, h.lastMillis() + 60_000)).isEqualTo(Suspicion.UNREACHABLE);
        });
    }

    long firstUnreachable(HeartbeatHistory h) {
        long t = h.lastMillis();
        while (detector.level(h, t) != Suspicion.UNREACHABLE) t += 10;
        return t;
    }
}
