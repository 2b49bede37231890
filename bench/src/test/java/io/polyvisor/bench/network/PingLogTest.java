package io.polyvisor.bench.network;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PingLogTest {
    static final String OUTAGE = """
            PING 10.77.0.11 (10.77.0.11): 56 data bytes
            64 bytes from 10.77.0.11: seq=0 ttl=64 time=2.914 ms
            64 bytes from 10.77.0.11: seq=1 ttl=64 time=1.100 ms
            64 bytes from 10.77.0.11: seq=2 ttl=64 time=9.500 ms
            64 bytes from 10.77.0.11: seq=40 ttl=64 time=3.000 ms
            64 bytes from 10.77.0.11: seq=41 ttl=64 time=1.000 ms

            --- 10.77.0.11 ping statistics ---
            44 packets transmitted, 5 packets received, 88% packet loss
            round-trip min/avg/max = 1.000/3.502/9.500 ms
            """;

    @Test
    void theLongestGapIsTheStepBetweenTwoAnswersAroundTheOutage() {
        var log = PingLog.parse(OUTAGE);
        assertThat(log.answered()).containsExactly(0, 1, 2, 40, 41);
        assertThat(log.transmitted()).isEqualTo(44);
        assertThat(log.longestGap()).isEqualTo(38);
        assertThat(log.medianRttMillis()).isEqualTo(2.914);
    }

    @Test
    void noLossIsAGapOfOneInterval() {
        var log = PingLog.parse("64 bytes from 10.0.0.2: seq=0 ttl=64 time=0.5 ms\n64 bytes from 10.0.0.2: seq=1 ttl=64 time=0.7 ms\n");
        assertThat(log.longestGap()).isEqualTo(1);
        assertThat(log.medianRttMillis()).isEqualTo(0.6);
        assertThat(log.transmitted()).isZero();
    }

    @Test
    void anOutageThatNeverEndedCannotBeMeasured() {
        var log = PingLog.parse("64 bytes from 10.0.0.2: seq=0 ttl=64 time=0.5 ms\n3 packets transmitted, 1 packets received\n");
        assertThatThrownBy(log::longestGap).hasMessageContaining("fewer than two pings answered");
        assertThatThrownBy(() -> PingLog.parse("").medianRttMillis()).hasMessage("no answer to any ping");
    }

    @Test
    void theProbeTurnsTheGapIntoSecondsByItsMeasuredInterval() {
        var probe = new InGuest.Probe(PingLog.parse(OUTAGE), 0.66);
        assertThat(probe.intervalSeconds()).isCloseTo(0.015, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(probe.outageSeconds()).isCloseTo(0.57, org.assertj.core.data.Offset.offset(1e-9));
    }
}
