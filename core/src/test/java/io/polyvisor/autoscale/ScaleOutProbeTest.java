package io.polyvisor.autoscale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleOutProbeTest {
    private static final ScalingRules RPS10 = ScalingRules.of(1, 3, new Target.Rps(10));

    @ParameterizedTest(name = "desired {0}, load {1}: due {2}")
    @CsvSource({
            "1, 10, false",   // on target
            "1, 11, false",   // within the tolerance (10 % of 10)
            "1, 11.5, true",  // above it
            "2, 21, false",   // two members carry 22 with the tolerance
            "2, 30, true",
            "3, 90, false",   // at max: an evaluation could add nothing
            "0, 0.5, true",   // from zero members any load is too much
            "0, 0, false"})
    void asksForAnEvaluationOnlyAboveWhatTheDesiredMembersCarry(int desired, double load, boolean due) {
        assertThat(ScaleOutProbe.due(RPS10, desired, load) != null).isEqualTo(due);
    }

    @Test
    void saysWhyInTheDecisionsWords() {
        assertThat(ScaleOutProbe.due(RPS10, 1, 24.0)).isEqualTo("evaluated early: load 24.0 above 1 desired x rps=10 + 10 % tolerance");
    }

    @Test
    void leavesGroupsWithoutTargetMeasurementOrWithAScaleOutWindowToThePeriod() {
        assertThat(ScaleOutProbe.due(ScalingRules.of(1, 3, null), 1, 100.0)).isNull();
        assertThat(ScaleOutProbe.due(RPS10, 1, null)).isNull();
        var windowed = new ScalingRules(1, 3, new Target.Rps(10), Duration.ofSeconds(30), ScalingRules.SCALE_IN_WINDOW,
                ScalingRules.STEP_OUT, ScalingRules.STEP_IN, ScalingRules.TOLERANCE);
        assertThat(ScaleOutProbe.due(windowed, 1, 100.0)).isNull();
    }
}
