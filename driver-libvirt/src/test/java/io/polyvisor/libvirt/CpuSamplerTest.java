package io.polyvisor.libvirt;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuSamplerTest {
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final long S = 1_000_000_000L;

    @Test
    void coresAreCpuTimeOverWallTimeBetweenSamples() {
        var s = new CpuSampler();
        assertThat(s.next(Map.of(A, 10 * S), 100 * S)).containsEntry(A, 0.0); // first sample: no interval yet
        var cores = s.next(Map.of(A, 13 * S, B, 5 * S), 102 * S);
        assertThat(cores.get(A)).isCloseTo(1.5, within(1e-9)); // 3 s of CPU in 2 s of wall time
        assertThat(cores.get(B)).isEqualTo(0.0);
    }

    @Test
    void aRestartedVmWhoseCounterWentBackStartsOver() {
        var s = new CpuSampler();
        s.next(Map.of(A, 50 * S), 10 * S);
        assertThat(s.next(Map.of(A, 1 * S), 11 * S)).containsEntry(A, 0.0);
        assertThat(s.next(Map.of(A, 2 * S), 12 * S).get(A)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void vmsNoLongerRunningAreForgotten() {
        var s = new CpuSampler();
        s.next(Map.of(A, 5 * S), 10 * S);
        s.next(Map.of(), 11 * S);
        assertThat(s.next(Map.of(A, 9 * S), 12 * S)).as("gone then back: a fresh first sample").containsEntry(A, 0.0);
    }
}
