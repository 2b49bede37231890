package io.polyvisor.bench.replay;

import java.util.List;

/** A consolidation policy driven by the replay: where VMs start, and which migrations start at each tick. */
interface ReplayPolicy {
    /** The name printed in tables and the {@code policy} field of JSON results. */
    String name();

    /** Host for {@code vm} at creation (t = 0), or null if none fits. */
    SimHost initialHost(Replay r, SimVm vm);

    /** Migrations to start now; an empty list for policies that never migrate. */
    List<Migration> optimize(Replay r);

    /** Energy override for policies whose hosts never sleep (NPA), else NaN. */
    default double fixedEnergyJoules(Replay r) {
        return Double.NaN;
    }

    record Migration(SimVm vm, SimHost target) {}
}
