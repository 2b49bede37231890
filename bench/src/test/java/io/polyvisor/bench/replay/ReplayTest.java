package io.polyvisor.bench.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The replay's CloudSim semantics on hand-checkable days, and the reference policies' logic on a slice of
 * a real day. The full seven-day comparison is a benchmark ({@code polyvisor bench consolidation}).
 */
class ReplayTest {
    /** shared/data/planetlab in the first folder above the working directory that has it (or $POLYVISOR_PLANETLAB). */
    static final Path PLANETLAB = locate();

    static Path locate() {
        String env = System.getenv("POLYVISOR_PLANETLAB");
        if (env != null) return Path.of(env);
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/data/planetlab"))) return p.resolve("shared/data/planetlab");
        }
        return Path.of("shared/data/planetlab");
    }

    private static TraceDay day(double[]... traces) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < traces.length; i++) names.add("vm" + i);
        return new TraceDay("synthetic", names, Arrays.asList(traces));
    }

    private static double[] constant(double u) {
        double[] d = new double[TraceDay.SAMPLES + 1];
        Arrays.fill(d, u);
        return d;
    }

    @Test
    void energyIsIntegratedFromTheFirstTickAsCloudSimDoes() {
        // one 2500-MIPS VM at 50 %: it cannot sit on a G4 (1860 MIPS per core) so it lands on the G5 host:
        // 1250 / 5320 = 23.5 % -> 101 + 4 x 0.3496 = 102.398 W, from 300.1 s (the first interval is free) to 86100.1 s
        ReplayResult r = new Replay(day(constant(0.5)), 2).run(ReferencePolicies.byName("dvfs"), "synthetic");
        double watts = 101 + (105 - 101) / 10.0 * (1250.0 / 5320 - 0.2) * 100;
        assertThat(r.energyKwh()).isCloseTo(watts * 85_800 / 3.6e6, within(1e-6));
        assertThat(r.migrations()).isZero();
        assertThat(r.slatah()).isZero();
    }

    @Test
    void aVmWhoseRequestDropsToZeroLeavesForGood() {
        double[] t = constant(0.5);
        for (int i = 100; i < 120; i++) t[i] = 0;
        ReplayResult r = new Replay(day(t), 2).run(ReferencePolicies.byName("dvfs"), "synthetic");
        // it leaves at the tick of sample 100 (30000.1 s; 0.1 s past a zero sample the request is exactly 0), and never comes back
        double watts = 101 + (105 - 101) / 10.0 * (1250.0 / 5320 - 0.2) * 100;
        // full power from 300.1 s to 29700.1 s, then one interval ramping down to the (idle) 0 % point
        assertThat(r.energyKwh()).isCloseTo((watts * (29_700.1 - 300.1) + (watts + 93.7) / 2 * 300) / 3.6e6, within(1e-6));
    }

    @Test
    void theBoundFollowsTheLoadServedNotTheWholeTrace() {
        // 1250 MIPS requested from the first tick (300.1 s) to the last one (86,100.1 s), as energy is integrated, or
        // to the tick at which the VM leaves (30,000.1 s): at 135 W per 5,320 MIPS
        double perSecondKwh = 1250 * 135.0 / 5320 / 3.6e6;
        ReplayResult allDay = new Replay(day(constant(0.5)), 2).run(ReferencePolicies.byName("dvfs"), "synthetic");
        assertThat(allDay.servedBoundKwh()).isCloseTo(perSecondKwh * 85_800, withinPercentage(0.01));
        double[] t = constant(0.5);
        for (int i = 100; i < 120; i++) t[i] = 0;
        ReplayResult leaves = new Replay(day(t), 2).run(ReferencePolicies.byName("dvfs"), "synthetic");
        assertThat(leaves.servedBoundKwh()).isCloseTo(perSecondKwh * 29_700, withinPercentage(0.01));
        assertThat(leaves.energyKwh()).isGreaterThan(leaves.servedBoundKwh());
    }

    /**
     * The reference implementations against CloudSim 3.0.3's released figures (REFERENCE.md, anchor 2) on one full
     * day: energy to the published two decimals and the exact migration count, for every migrating policy and DVFS.
     */
    @Test
    void referencesReproduceCloudSim303OnAFullDay() {
        Path dir = PLANETLAB.resolve("20110303");
        assertThat(dir).as("PlanetLab traces must be present at " + dir).isDirectory();
        var results = ConsolidationBench.run(List.of(dir), List.of("thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "dvfs"), 2);
        assertThat(results).hasSize(5);
        for (ReplayResult r : results) {
            CloudSimFigures.Figures f = CloudSimFigures.of("20110303", r.policy());
            assertThat(f).as(r.policy()).isNotNull();
            assertThat(r.energyKwh()).as(r.policy() + " energy").isCloseTo(f.energyKwh(), within(0.005));
            assertThat(r.migrations()).as(r.policy() + " migrations").isEqualTo(f.migrations());
            // the same load whatever the policy, up to how requests are sampled around migrations (0.02 % here)
            assertThat(r.servedBoundKwh()).as("the served load's bound").isCloseTo(results.get(0).servedBoundKwh(), withinPercentage(0.1));
        }
    }

    @Test
    void npaDrawsFullPowerOnEveryHostAllDay() {
        ReplayResult r = new Replay(day(constant(0.1), constant(0.2)), 4).run(ReferencePolicies.byName("npa"), "synthetic");
        assertThat(r.energyKwh()).isCloseTo(2 * (117 + 135) * 86_100.1 / 3.6e6, within(1e-6));
    }

    @Test
    void overloadThresholdPoliciesMigrateAndAccountForIt() {
        // four VMs that start idle and all jump to 90 % at sample 50: THR 0.8 must move some of them
        List<double[]> ts = new ArrayList<>();
        for (int v = 0; v < 8; v++) {
            double[] d = constant(0.05);
            for (int i = 50 + v; i < 289; i++) d[i] = 0.9;
            ts.add(d);
        }
        ReplayResult thr = new Replay(day(ts.toArray(double[][]::new)), 20).run(ReferencePolicies.byName("thr-mmt-0.8"), "synthetic");
        ReplayResult dvfs = new Replay(day(ts.toArray(double[][]::new)), 20).run(ReferencePolicies.byName("dvfs"), "synthetic");
        assertThat(thr.migrations()).isPositive();
        assertThat(thr.pdm()).isPositive();
        assertThat(thr.slatah()).isBetween(0.0, 1.0);
        assertThat(thr.energyKwh()).isLessThan(dvfs.energyKwh());
    }

    @Test
    void referencePoliciesOnASliceOfARealDay() {
        Path dir = PLANETLAB.resolve("20110303");
        assertThat(dir).as("PlanetLab traces must be present at " + dir).isDirectory();
        TraceDay slice = TraceDay.load(dir).first(120);
        ReplayResult thr = new Replay(slice, 100).run(ReferencePolicies.byName("thr-mmt-0.8"), slice.name());
        ReplayResult lr = new Replay(slice, 100).run(ReferencePolicies.byName("lr-mmt-1.2"), slice.name());
        ReplayResult ours = new Replay(slice, 100).run(ReferencePolicies.byName("polyvisor"), slice.name());
        ReplayResult dvfs = new Replay(slice, 100).run(ReferencePolicies.byName("dvfs"), slice.name());
        for (ReplayResult r : List.of(thr, lr, ours)) {
            assertThat(r.migrations()).isPositive();
            assertThat(r.energyKwh()).isLessThan(dvfs.energyKwh());
            assertThat(r.esv()).isCloseTo(r.energyKwh() * r.slatah() * r.pdm(), within(1e-12));
        }
        assertThat(lr.migrations()).isNotEqualTo(thr.migrations());
        assertThat(ours.migrations()).isLessThan(thr.migrations());
    }

    @Test
    void loadsTraceFilesSortedByNameWithSpacesAndRepeatsTheLastSample(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b host_ slice"), "7\n".repeat(287) + "9\n");
        Files.writeString(dir.resolve("a"), "1\n".repeat(288));
        TraceDay d = TraceDay.load(dir);
        assertThat(d.files()).containsExactly("a", "b host_ slice");
        assertThat(d.traces().get(1)[287]).isEqualTo(0.09);
        assertThat(d.traces().get(1)[288]).isEqualTo(0.09);
    }
}
