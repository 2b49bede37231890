package io.polyvisor.bench.autoscale;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The autoscale replay: what it counts, that every policy gets the same group, and that the scenarios are what they claim. */
class GroupSimTest {
    private static Scenario step(double from, double to, int atRow, int rows) {
        double[] d = new double[rows];
        for (int i = 0; i < rows; i++) d[i] = i < atRow ? from : to;
        return new Scenario("step", d);
    }

    @Test
    void aFlatLoadWithinTheTargetNeedsNoActionAndIsNeverShort() {
        double[] d = new double[120];
        Arrays.fill(d, 6);
        for (var f : GroupSim.policies()) {
            ScenarioResult r = GroupSim.run(new Scenario("flat", d), SimParams.defaults(), f);
            assertThat(r.violationS()).as(f.apply(SimParams.defaults(), 2).name()).isZero();
            assertThat(r.scalingActions()).isZero();
            assertThat(r.vmHours()).isCloseTo(5 * 1200 / 3600.0, org.assertj.core.data.Offset.offset(1e-9)); // ceil(6 / 1.2) = 5 members
        }
    }

    @Test
    void aStepIsShortUntilNewMembersStartAndPolyvisorRecoversFasterThanEveryReference() {
        Scenario s = step(8, 32, 60, 360);
        SimParams p = SimParams.defaults();
        ScenarioResult pv = GroupSim.run(s, p, PolyvisorTracking::new);
        assertThat(pv.violationS()).as("no policy can serve a step before a cold member starts").isGreaterThanOrEqualTo((long) p.coldStartS());
        for (var f : GroupSim.policies().subList(1, 4)) {
            ScenarioResult ref = GroupSim.run(s, p, f);
            assertThat(pv.violationS()).as(f.apply(p, 2).name()).isLessThan(ref.violationS());
        }
        assertThat(pv.flaps()).isZero();
        assertThat(pv.maxMembers()).isLessThanOrEqualTo(p.max());
    }

    @Test
    void aReversalWithin300sIsAFlapAndOneAfterItIsNot() {
        // 8 / 40 vCPUs, 200 s each: the references that scale in after 300 s never do; polyvisor holds too
        double[] d = new double[720];
        for (int i = 0; i < d.length; i++) d[i] = (i / 20) % 2 == 0 ? 8 : 40;
        for (var f : GroupSim.policies()) {
            ScenarioResult r = GroupSim.run(new Scenario("fast-square", d), SimParams.defaults(), f);
            assertThat(r.flaps()).as(f.apply(SimParams.defaults(), 2).name()).isZero();
        }
    }

    @Test
    void theGroupNeverPassesMaxCountingWarmMembers() {
        SimParams p = new SimParams(2, 2, 6, 60, 6.54, 3, 3, 5, 5);
        for (Scenario s : UnseenScenarios.generate(10, 7)) {
            for (var f : GroupSim.policies()) assertThat(GroupSim.run(s, p, f).maxMembers()).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void aWarmPoolCutsTheViolationOfAStep() {
        Scenario s = step(8, 32, 60, 360);
        ScenarioResult cold = GroupSim.run(s, SimParams.defaults(), PolyvisorTracking::new);
        ScenarioResult warm = GroupSim.run(s, SimParams.defaults().withWarm(10), PolyvisorTracking::new);
        assertThat(warm.warmStarts()).isPositive();
        assertThat(warm.violationS()).isLessThan(cold.violationS());
        assertThat(warm.warmHours()).isPositive();
    }

    @Test
    void unseenScenariosHaveTheSharedFormatAndSizes(@TempDir Path dir) throws Exception {
        List<Scenario> all = UnseenScenarios.generate(10, 42);
        assertThat(all).hasSize(10);
        assertThat(UnseenScenarios.generate(10, 42).get(3).demand()).isEqualTo(all.get(3).demand());
        for (Scenario s : all) {
            assertThat(s.lengthS()).isEqualTo(7200);
            assertThat(Arrays.stream(s.demand()).min().orElseThrow()).isGreaterThanOrEqualTo(3);
            assertThat(Arrays.stream(s.demand()).max().orElseThrow()).isLessThanOrEqualTo(60);
            Path f = dir.resolve(s.name() + ".csv");
            Files.writeString(f, s.csv());
            assertThat(Scenario.read(f).demand()).hasSize(s.demand().length);
        }
        assertThat(Scenario.load(dir)).hasSize(10);
    }

    @Test
    void aScenarioFileIsCheckedWithExactMessages(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "t_s,demand_vcpus\n0,4\n20,5\n");
        assertThatThrownBy(() -> Scenario.read(bad)).isInstanceOf(InvalidInput.class)
                .hasMessage(bad + " line 3: t_s must be 10 (one row every 10 s from 0), got 20");
        Files.writeString(bad, "time,cpu\n0,4\n");
        assertThatThrownBy(() -> Scenario.read(bad)).hasMessage("scenario " + bad + " must start with the header t_s,demand_vcpus");
        assertThatThrownBy(() -> Scenario.load(dir.resolve("none"))).hasMessage("--trace must be a scenario file or a folder of them, got '" + dir.resolve("none") + "'");
    }
}
