package io.polyvisor.autoscale;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTrackingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** {@code spec}: one letter per member, oldest first: s starting, r ready, d draining, f failed. */
    private static List<Member> members(String spec) {
        var out = new ArrayList<Member>();
        for (int i = 0; i < spec.length(); i++) {
            Member.State st = switch (spec.charAt(i)) {
                case 's' -> Member.State.STARTING;
                case 'r' -> Member.State.READY;
                case 'd' -> Member.State.DRAINING;
                case 'f' -> Member.State.FAILED;
                case 'w' -> Member.State.WARM;
                case 'p' -> Member.State.PREPARING;
                default -> throw new IllegalArgumentException(spec);
            };
            out.add(new Member("m" + (i + 1), st));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                              | min | max | target | members | desired | load  | out | in  | want desired | want launch | want removed
            under target: hold within tolerance | 2   | 10  | cpu=60 | rr      | 2       | 125   | 0   | 300 | 2            | 0           | ''
            cpu 90% on 2: 3 members             | 2   | 10  | cpu=60 | rr      | 2       | 180   | 0   | 300 | 3            | 1           | ''
            step limit: +4 or doubling          | 2   | 20  | cpu=10 | rr      | 2       | 200   | 0   | 300 | 6            | 4           | ''
            clamped to max                      | 2   | 4   | cpu=10 | rr      | 2       | 200   | 0   | 300 | 4            | 2           | ''
            low load, new window: scale in      | 2   | 10  | rps=100| rrrr    | 4       | 10    | 0   | 0   | 2            | 0           | m4,m3
            scale in keeps load under target-10%| 1   | 10  | rps=100| rrrr    | 4       | 190   | 0   | 0   | 3            | 0           | m4
            cpu saturated: at least doubles     | 1   | 20  | cpu=60 | rrr     | 3       | 300   | 0   | 300 | 6            | 3           | ''
            never below min                     | 2   | 10  | rps=100| rr      | 2       | 0     | 0   | 0   | 2            | 0           | ''
            no measurement: hold                | 2   | 10  | cpu=60 | ss      | 2       |       | 0   | 300 | 2            | 0           | ''
            failed counted: no launch past max  | 1   | 2   | cpu=60 | rf      | 2       | 60    | 0   | 300 | 2            | 0           | m2
            starting counted: no launch past max| 1   | 2   | cpu=10 | rs      | 2       | 90    | 0   | 300 | 2            | 0           | ''
            draining counted                    | 1   | 3   | cpu=10 | rrd     | 2       | 90    | 0   | 300 | 3            | 0           | ''
            failed replaced when room           | 1   | 4   | cpu=60 | rf      | 2       | 60    | 0   | 300 | 2            | 1           | m2
            surplus: starting goes first        | 1   | 10  | ''     | rrs     | 2       |       | 0   | 0   | 2            | 0           | m3
            manual group: launch to desired     | 0   | 10  | ''     | r       | 3       |       | 0   | 300 | 3            | 2           | ''
            metric target                       | 1   | 10  | metric:queue=5 | r | 1     | 22    | 0   | 300 | 5            | 4           | ''
            """)
    void decides(String name, int min, int max, String target, String spec, int desired, Double load, int out, int in,
                 int wantDesired, int wantLaunch, String wantRemoved) {
        var rules = new ScalingRules(min, max, target.isEmpty() ? null : Target.parse(target), Duration.ofSeconds(out),
                Duration.ofSeconds(in), ScalingRules.STEP_OUT, ScalingRules.STEP_IN, ScalingRules.TOLERANCE);
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, desired, members(spec), load, List.of()));
        assertThat(d.desired()).as(d.reason()).isEqualTo(wantDesired);
        assertThat(d.launch()).as(d.reason()).isEqualTo(wantLaunch);
        assertThat(d.removals().stream().map(Decision.Removal::member).toList())
                .as(d.reason()).isEqualTo(wantRemoved.isEmpty() ? List.of() : List.of(wantRemoved.split(",")));
        assertThat(d.reason()).isNotBlank();
    }

    @Test
    void scaleInWaitsForItsWindowButScaleOutDoesNot() {
        var rules = ScalingRules.of(1, 10, new Target.Rps(100)); // out 0 s, in 300 s
        List<Recommendation> history = List.of(new Recommendation(T0.minusSeconds(200), 4));
        Decision low = TargetTracking.decide(rules, new GroupSnapshot(T0, 4, members("rrrr"), 50.0, history));
        assertThat(low.desired()).isEqualTo(4);
        assertThat(low.reason()).contains("hold 4: scale-in window (300 s) still holds 4");
        // once the high recommendation is older than the window, it scales in, all the way in one step
        Decision later = TargetTracking.decide(rules, new GroupSnapshot(T0.plusSeconds(101), 4, members("rrrr"), 50.0, low.history()));
        assertThat(later.desired()).as(later.reason()).isEqualTo(1);
        assertThat(later.removals()).extracting(Decision.Removal::member).containsExactly("m4", "m3", "m2");
        // a spike scales out at once although the window holds lower recommendations
        Decision spike = TargetTracking.decide(rules, new GroupSnapshot(T0.plusSeconds(105), 1, members("r"), 700.0, later.history()));
        assertThat(spike.desired()).as(spike.reason()).isEqualTo(5);
        assertThat(spike.reason()).contains("scale out 1 -> 5 (step limit +4)");
    }

    @Test
    void scaleOutWindowTakesTheLowestRecommendation() {
        var rules = ScalingRules.of(1, 10, new Target.Rps(100)).withWindows(Duration.ofSeconds(60), Duration.ofSeconds(300));
        List<Recommendation> history = List.of(new Recommendation(T0.minusSeconds(30), 3));
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, 2, members("rr"), 800.0, history));
        assertThat(d.desired()).as(d.reason()).isEqualTo(3);
        assertThat(d.reason()).contains("scale out 2 -> 3").contains("lowest of the last 60 s");
    }

    @Test
    void aScaleInLeavesRoomForATolerance() {
        // 5.4 members' worth of load at the target: 6 would sit at 90 %, exactly a tolerance under it, so 6 stay, not 5
        var rules = ScalingRules.of(1, 10, new Target.Rps(100)).withWindows(Duration.ZERO, Duration.ZERO);
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, 8, members("rrrrrrrr"), 540.0, List.of()));
        assertThat(d.desired()).as(d.reason()).isEqualTo(6);
        assertThat(d.history().getLast().load()).isEqualTo(540.0);
    }

    @Test
    void scaleOutResumesWarmMembersFirstAndThePoolRefillsWithinMax() {
        var rules = ScalingRules.of(1, 6, new Target.Rps(100)).withWarm(2);
        // 2 ready at 200 each: 4 wanted; both warm members resume, nothing cold, and the pool refills with the 2 left
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, 2, members("rrww"), 400.0, List.of()));
        assertThat(d.resume()).as(d.reason()).containsExactly("m3", "m4");
        assertThat(d.launch()).isZero();
        assertThat(d.prewarm()).isEqualTo(2);
        assertThat(d.reason()).contains("resume 2 warm", "prepare 2 warm");
        // near max the pool yields: 6 wanted from 2 ready + 2 warm: resume 2, launch 2 cold, no room to refill
        Decision full = TargetTracking.decide(rules, new GroupSnapshot(T0, 2, members("rrww"), 600.0, List.of()));
        assertThat(full.resume()).hasSize(2);
        assertThat(full.launch()).isEqualTo(2);
        assertThat(full.prewarm()).isZero();
        // a preparing member counts toward the pool and toward max
        Decision held = TargetTracking.decide(rules, new GroupSnapshot(T0, 1, members("rpw"), 100.0, List.of()));
        assertThat(held.prewarm()).isZero();
        assertThat(held.resume()).isEmpty();
    }

    @Test
    void aPoolLargerThanItsSizeGivesBackTheNewest() {
        var rules = ScalingRules.of(1, 6, new Target.Rps(100)).withWarm(1);
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, 1, members("rwwp"), 100.0, List.of()));
        assertThat(d.removals()).extracting(Decision.Removal::member).containsExactly("m4", "m3");
        assertThat(d.prewarm()).isZero();
    }

    @Test
    void warmMembersNeverTakeTheGroupPastMax() {
        var rnd = new java.util.Random(12);
        String states = "srdfpw";
        for (int run = 0; run < 5000; run++) {
            int max = 1 + rnd.nextInt(8), min = rnd.nextInt(max + 1), warm = rnd.nextInt(max - min + 1);
            var rules = ScalingRules.of(min, max, new Target.Rps(10)).withWarm(warm);
            var spec = new StringBuilder();
            for (int i = rnd.nextInt(max + 1); i > 0; i--) spec.append(states.charAt(rnd.nextInt(states.length())));
            Decision d = TargetTracking.decide(rules, new GroupSnapshot(T0, rnd.nextInt(max + 1), members(spec.toString()),
                    rnd.nextDouble() * 200, List.of()));
            assertThat(spec.length() + d.launch() + d.prewarm()).as(spec + " " + d.reason()).isLessThanOrEqualTo(max);
            assertThat(d.resume()).allMatch(n -> spec.charAt(Integer.parseInt(n.substring(1)) - 1) == 'w');
        }
    }

    @Test
    void warmMustLeaveRoomForMin() {
        assertThatThrownBy(() -> ScalingRules.of(2, 4, null).withWarm(3)).isInstanceOf(InvalidInput.class)
                .hasMessage("warm (3) must not be greater than max - min (2): warm members count toward max");
    }

    @Test
    void reasonNamesTheNumbers() {
        Decision d = TargetTracking.decide(ScalingRules.of(2, 10, new Target.Cpu(60)),
                new GroupSnapshot(T0, 2, members("rr"), 180.0, List.of()));
        assertThat(d.reason()).isEqualTo("cpu 90% per member over 2 ready, target cpu=60: recommends 3; scale out 2 -> 3; launch 1");
    }

    @Test
    void rulesRefuseHostileInputWithExactMessages() {
        assertThatThrownBy(() -> ScalingRules.of(5, 2, null)).isInstanceOf(InvalidInput.class)
                .hasMessage("min (5) must not be greater than max (2)");
        assertThatThrownBy(() -> Target.parse("memory=50")).isInstanceOf(InvalidInput.class)
                .hasMessage("unknown target metric 'memory': use cpu=PERCENT, rps=N or metric:NAME=V");
        assertThatThrownBy(() -> Target.parse("cpu=150")).hasMessage("cpu target must be a percentage between 0 and 100, got 150");
        assertThatThrownBy(() -> Target.parse("rps=lots")).hasMessage("target value must be a number, got 'rps=lots'");
        assertThat(Target.parse("metric:queue_depth=5")).isEqualTo(new Target.Metric("queue_depth", 5));
        assertThat(Target.parse("rps=200").text()).isEqualTo("rps=200");
    }
}
