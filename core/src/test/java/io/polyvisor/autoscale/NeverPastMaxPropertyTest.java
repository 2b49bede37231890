package io.polyvisor.autoscale;

import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety rule under any weather: whatever the metric does and however many starts fail, the members that
 * exist (starting, ready, draining, failed) never exceed max, desired stays within [min, max], and failed members
 * are always removed. A small world carries out each decision: launches start, starts succeed or fail, removed
 * members drain and disappear after a while.
 */
class NeverPastMaxPropertyTest {

    /** One run: the rules, and a seed for the world's events (loads, start outcomes, how long things take). */
    record Scenario(int min, int max, int target, int failPercent, int steps, long seed) {}

    @Test
    void membersNeverExceedMax() {
        Gen<Scenario> scenarios = Gen.zip(Gen.ints(0, 5), Gen.ints(1, 12), Gen.ints(0, 100), Gen.seeds(),
                (min, extra, failPercent, seed) -> new Scenario(min, min + extra, 50, failPercent, 200, seed));
        Property.forAll(scenarios).tries(300).check(NeverPastMaxPropertyTest::run);
    }

    private static void run(Scenario sc) {
        var rules = new ScalingRules(sc.min(), sc.max(), new Target.Cpu(sc.target()), Duration.ofSeconds(new Random(sc.seed()).nextInt(3) * 15),
                Duration.ofSeconds(60), ScalingRules.STEP_OUT, ScalingRules.STEP_IN, ScalingRules.TOLERANCE);
        var rnd = new Random(sc.seed());
        record Live(String name, Member.State state, int age) {}
        List<Live> world = new ArrayList<>();
        int desired = sc.min(), named = 0;
        List<Recommendation> history = List.of();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int step = 0; step < sc.steps(); step++) {
            now = now.plusSeconds(5);
            // the world moves: starts finish or fail, drains end, ready members may crash
            var next = new ArrayList<Live>();
            for (Live m : world) {
                switch (m.state()) {
                    case STARTING -> next.add(m.age() < rnd.nextInt(4) ? new Live(m.name(), m.state(), m.age() + 1)
                            : new Live(m.name(), rnd.nextInt(100) < sc.failPercent() ? Member.State.FAILED : Member.State.READY, 0));
                    case DRAINING -> { if (rnd.nextInt(3) > 0) next.add(new Live(m.name(), m.state(), m.age() + 1)); }
                    case READY -> next.add(rnd.nextInt(50) == 0 ? new Live(m.name(), Member.State.FAILED, 0) : m);
                    case FAILED -> next.add(m);
                }
            }
            world = next;
            long ready = world.stream().filter(m -> m.state() == Member.State.READY).count();
            Double load = rnd.nextInt(10) == 0 ? null : ready * rnd.nextDouble() * 300; // up to 6x the target, or no sample
            var snapshot = new GroupSnapshot(now, desired, world.stream().map(m -> new Member(m.name(), m.state())).toList(), load, history);
            Decision d = TargetTracking.decide(rules, snapshot);

            assertThat(d.desired()).as(d.reason()).isBetween(sc.min(), sc.max());
            assertThat(d.removals()).extracting(Decision.Removal::member).containsAll(
                    world.stream().filter(m -> m.state() == Member.State.FAILED).map(Live::name).toList());
            // carry the plan out
            for (Decision.Removal r : d.removals()) {
                world.replaceAll(m -> m.name().equals(r.member()) ? new Live(m.name(), Member.State.DRAINING, 0) : m);
            }
            for (int i = 0; i < d.launch(); i++) world.add(new Live("m" + (++named), Member.State.STARTING, 0));
            assertThat(world.size()).as("members after step %d: %s (%s)", step, world, d.reason()).isLessThanOrEqualTo(sc.max());
            desired = d.desired();
            history = d.history();
        }
    }
}
