package io.polyvisor.bench.replay;

import java.util.List;

/**
 * The paper's baselines, which never migrate and place each VM on the first host with room for its full
 * MIPS (PowerVmAllocationPolicySimple): DVFS, whose hosts draw power by utilisation and sleep when idle,
 * and NPA (non power aware), whose hosts draw full power all day.
 */
final class NoMigration implements ReplayPolicy {
    private final String name;
    private final boolean fullPower;

    NoMigration(String name, boolean fullPower) {
        this.name = name;
        this.fullPower = fullPower;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SimHost initialHost(Replay r, SimVm vm) {
        for (SimHost h : r.hosts) if (h.suitable(vm)) return h;
        return null;
    }

    @Override
    public List<Migration> optimize(Replay r) {
        return List.of();
    }

    @Override
    public double fixedEnergyJoules(Replay r) {
        if (!fullPower) return Double.NaN;
        double watts = r.hosts.stream().mapToDouble(h -> h.power.at(1)).sum();
        return watts * r.lastProcess;
    }
}
