package io.polyvisor.bench.replay;

import java.util.List;

/**
 * The figures of one policy on one day, in CloudSim's pooled form: SLATAH = total time active hosts ran
 * short of requested CPU / total active time; PDM = CPU lost to migration / CPU requested (all VMs);
 * SLAV = SLATAH x PDM; ESV = energy (kWh) x SLAV. {@code servedBoundKwh} is the least energy any policy could spend
 * on the load this replay served: the MIPS-seconds its VMs requested while they were in the replay (a VM leaves for
 * good at its first zero sample, as in CloudSim), run at the most efficient point of any host model, a G5 at 100 %
 * (135 W for 5,320 MIPS), ignoring RAM and migrations.
 */
public record ReplayResult(String policy, String day, double energyKwh, int migrations, double slatah, double pdm,
                           double slav, double esv, double seconds, double servedBoundKwh) {
    /** Watts per MIPS at the most efficient operating point of the replay's host models (G5 at 100 %). */
    static final double BEST_WATTS_PER_MIPS = 135.0 / 5320.0;

    static ReplayResult of(String policy, String day, double joules, int migrations, List<SimHost> hosts, List<SimVm> vms,
                           double seconds) {
        double active = 0, violation = 0, requested = 0, lost = 0;
        for (SimHost h : hosts) {
            active += h.activeSeconds;
            violation += h.violationSeconds;
        }
        for (SimVm v : vms) {
            requested += v.requestedTotal;
            lost += v.underAllocatedMigrating;
        }
        double kwh = joules / 3_600_000.0;
        double slatah = active == 0 ? 0 : violation / active, pdm = requested == 0 ? 0 : lost / requested;
        double boundKwh = requested * BEST_WATTS_PER_MIPS / 3_600_000.0;
        return new ReplayResult(policy, day, kwh, migrations, slatah, pdm, slatah * pdm, kwh * slatah * pdm, seconds, boundKwh);
    }
}
