package io.polyvisor.bench.autoscale;

import io.polyvisor.model.InvalidInput;

/**
 * The simulated group every policy runs in, identical for all of them.
 *
 * @param memberVcpus  vCPUs of one member: it serves at most this much demand
 * @param min          members always kept
 * @param max          members never exceeded
 * @param targetCpu    the CPU per member (percent) every policy tracks
 * @param coldStartS   seconds from a launch to the new member in rotation (guest boot + health checks)
 * @param warmStartS   seconds from taking a warm (stopped, pre-built) member to it in rotation
 * @param warm         warm members kept ready to start (0: none, every launch is cold)
 * @param metricDelayS seconds between the demand and any policy's view of it (the same for all)
 * @param drainS       seconds a removed member is still billed while it drains and its VM is deleted
 */
public record SimParams(int memberVcpus, int min, int max, double targetCpu, double coldStartS, double warmStartS, int warm,
                        int metricDelayS, int drainS) {
    public SimParams {
        InvalidInput.require(memberVcpus >= 1, "member vCPUs must be at least 1, got " + memberVcpus);
        InvalidInput.require(min >= 1 && min <= max, "min must be between 1 and max, got " + min);
        InvalidInput.require(targetCpu > 0 && targetCpu <= 100, "target cpu must be in (0, 100], got " + targetCpu);
        InvalidInput.require(coldStartS >= 0 && warmStartS >= 0, "start times must not be negative");
        InvalidInput.require(warm >= 0 && warm <= max, "--warm must be between 0 and max " + max + ", got " + warm);
        InvalidInput.require(metricDelayS >= 0 && drainS >= 0, "delays must not be negative");
    }

    /**
     * Cold start: the median {@code guest_boot_s} of the 8 real-guest runs in docs/BENCHMARKS.md (create of a tiny
     * guest to its first HTTP answer under TCG: 4.28 to 10.58 s, median 4.54) plus 2 health checks 1 s apart before
     * HAProxy puts it in rotation. Warm start: resuming a stopped pre-built member (the guest's memory restored, no
     * boot) taken as 1 s plus the same 2 checks; used only with {@code warm > 0}.
     */
    public static final double COLD_START_S = 4.54 + 2, WARM_START_S = 1 + 2;

    public static SimParams defaults() {
        return new SimParams(2, 2, 40, 60, COLD_START_S, WARM_START_S, 0, 5, 5);
    }

    public SimParams withWarm(int n) {
        return new SimParams(memberVcpus, min, max, targetCpu, coldStartS, warmStartS, n, metricDelayS, drainS);
    }

    public SimParams withMetricDelay(int s) {
        return new SimParams(memberVcpus, min, max, targetCpu, coldStartS, warmStartS, warm, s, drainS);
    }
}
