package io.polyvisor.bench.replay;

import java.util.List;

/** The reference implementations, by the names used in results. */
public final class ReferencePolicies {
    public static final List<String> NAMES = List.of("thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2", "lrr-mmt-1.2", "dvfs", "npa");

    private ReferencePolicies() {}

    static ReplayPolicy byName(String name) {
        return switch (name) {
            case "thr-mmt-0.8" -> new Pabfd(name, new OverloadTest.StaticThreshold(0.8));
            case "thr-mmt-1.0" -> new Pabfd(name, new OverloadTest.StaticThreshold(1.0));
            case "thr-mmt-0.7" -> new Pabfd(name, new OverloadTest.StaticThreshold(0.7));
            case "lr-mmt-1.2" -> new Pabfd(name, new OverloadTest.LocalRegression(1.2));
            // CloudSim 3.0.3's robust variant weighs the same 10 points with all-positive weights: the same fit as LR
            case "lrr-mmt-1.2" -> new Pabfd(name, new OverloadTest.LocalRegression(1.2));
            case "iqr-mmt-1.5" -> new Pabfd(name, new OverloadTest.AdaptiveThreshold(1.5, true));
            case "mad-mmt-2.5" -> new Pabfd(name, new OverloadTest.AdaptiveThreshold(2.5, false));
            case "dvfs" -> new NoMigration(name, false);
            case "npa" -> new NoMigration(name, true);
            case "polyvisor" -> new PolyvisorPolicy(PolyvisorPolicy.defaults());
            default -> throw new IllegalArgumentException("unknown reference policy " + name);
        };
    }

    /** Replays {@code day} under the named reference policy. */
    public static ReplayResult run(TraceDay day, String policy) {
        return new Replay(day, Replay.HOSTS).run(byName(policy), day.name());
    }
}
