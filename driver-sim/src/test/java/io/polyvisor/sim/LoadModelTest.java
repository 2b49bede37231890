package io.polyvisor.sim;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.sim.LoadModel.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadModelTest {
    private final LoadModel.Trace trace = new LoadModel.Trace(List.of(new Sample(0.0, 0.5), new Sample(1.0, 0.7), new Sample(0.5, 0.5)), 10);

    @Test
    void aTraceHoldsItsSamplesAtMultiplesOfThePeriodAndInterpolatesBetween() {
        assertThat(trace.at(Duration.ZERO)).isEqualTo(new Sample(0.0, 0.5));
        assertThat(trace.at(Duration.ofSeconds(10))).isEqualTo(new Sample(1.0, 0.7));
        var mid = trace.at(Duration.ofMillis(2500));
        assertThat(mid.cpu()).isCloseTo(0.25, within(1e-9));
        assertThat(mid.memory()).isCloseTo(0.55, within(1e-9));
    }

    @Test
    void aTraceWrapsRoundAfterItsLastSample() {
        var wrapping = trace.at(Duration.ofSeconds(25)); // halfway from sample 2 (0.5) back to sample 0 (0.0)
        assertThat(wrapping.cpu()).isCloseTo(0.25, within(1e-9));
        assertThat(trace.at(Duration.ofSeconds(30))).isEqualTo(trace.at(Duration.ZERO));
        assertThat(trace.at(Duration.ofHours(1).plusSeconds(10))).isEqualTo(new Sample(1.0, 0.7));
    }

    @Test
    void aTraceParsesFromCpuMemoryLines() {
        var parsed = LoadModel.Trace.parse("# cpu,memory\n0.0, 0.5\n\n1.0,0.7\n0.5,0.5\n", 10);
        assertThat(parsed).isEqualTo(trace);
        assertThatThrownBy(() -> LoadModel.Trace.parse("0.1,0.2\n0.3\n", 1)).isInstanceOf(InvalidInput.class)
                .hasMessage("trace line 2 must be 'cpu,memory' fractions: expected 2 fields");
        assertThatThrownBy(() -> LoadModel.Trace.parse("0.1,1.5", 1)).isInstanceOf(InvalidInput.class)
                .hasMessage("trace line 1 must be 'cpu,memory' fractions: memory fraction must be between 0 and 1, got 1.5");
    }

    @Test
    void invalidModelsAreRefusedWithExactMessages() {
        assertThatThrownBy(() -> new LoadModel.Constant(1.2, 0.5)).hasMessage("cpu fraction must be between 0 and 1, got 1.2");
        assertThatThrownBy(() -> new LoadModel.Trace(List.of(), 1)).hasMessage("a trace needs at least one sample");
        assertThatThrownBy(() -> new LoadModel.Trace(List.of(new Sample(0, 0)), 0)).hasMessage("trace period must be a positive number of seconds, got 0.0");
    }

    @Test
    void statsReplayTheTraceFromBootOnTheClock() {
        var clock = SimClock.virtual(Instant.parse("2026-01-01T00:00:00Z"));
        var dc = SimDatacenter.create("loads", 3, clock);
        dc.addHost("h1", 16, 64 * Sizes.GiB);
        var h1 = dc.connect("h1");
        var a = new UUID(0, 1);
        var b = new UUID(0, 2);
        h1.compute().define(a, "a", VmSpec.of(4, 4 * Sizes.GiB));
        h1.compute().define(b, "b", VmSpec.of(2, 2 * Sizes.GiB));
        clock.advance(Duration.ofSeconds(100)); // trace time counts from boot, not from the clock's start
        h1.compute().start(a);
        h1.compute().start(b);
        dc.setLoad(a, trace);
        dc.setLoad(b, new LoadModel.Constant(0.5, 0.25));

        clock.advance(Duration.ofMillis(2500));
        var usage = h1.stats().vms();
        assertThat(usage.get(a).cpuCores()).isCloseTo(1.0, within(1e-9));   // 0.25 of 4 vCPUs
        assertThat(usage.get(a).memoryBytes()).isEqualTo(Math.round(0.55 * 4 * Sizes.GiB));
        assertThat(usage.get(b).cpuCores()).isEqualTo(1.0);
        var host = h1.stats().host();
        assertThat(host.cpuCores()).isCloseTo(2.0, within(1e-9));
        assertThat(host.memoryBytes()).isEqualTo(usage.get(a).memoryBytes() + usage.get(b).memoryBytes());

        clock.advance(Duration.ofMillis(7500));
        assertThat(h1.stats().vms().get(a).cpuCores()).isCloseTo(4.0, within(1e-9));
        h1.compute().suspend(a);
        assertThat(h1.stats().vms()).containsOnlyKeys(b);
        assertThat(h1.stats().host().cpuCores()).as("a paused guest uses no CPU").isEqualTo(1.0);
    }

    @Test
    void theDefaultLoadIsDrawnFromTheSeedAndTheVmOnly() {
        var id = new UUID(5, 7);
        assertThat(LoadModel.drawn(1, id)).isEqualTo(LoadModel.drawn(1, id));
        assertThat(LoadModel.drawn(1, id)).isNotEqualTo(LoadModel.drawn(2, id));
        assertThat(LoadModel.drawn(1, id)).isNotEqualTo(LoadModel.drawn(1, new UUID(5, 8)));
        for (int i = 0; i < 1000; i++) {
            var c = LoadModel.drawn(42, new UUID(i, i * 31L));
            assertThat(c.cpuFraction()).isBetween(0.05, 0.65);
            assertThat(c.memFraction()).isBetween(0.25, 0.85);
        }
    }
}
