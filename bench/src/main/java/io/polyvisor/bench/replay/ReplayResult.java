package io.polyvisor.bench.replay;

import java.util.List;

/**
 * The figures of one policy on one day, in CloudSim's pooled form: SLATAH = total time active hosts ran
 * short of requested CPU / total active time; PDM = CPU lost to migration / CPU requested (all VMs);
 * SLAV = SLATAH x PDM; ESV = energy (kWh) x SLAV.
 */
public record ReplayResult(String policy, String day, double energyKwh, int migrations, double slatah, double pdm,
                           double slav, double esv, double seconds) {
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
        return new ReplayResult(policy, day, kwh, migrations, slatah, pdm, slatah * pdm, kwh * slatah * pdm, seconds);
    }
}
