package io.polyvisor.bench.replay;

/**
 * A VM of the replay, with CloudSim's bookkeeping: requested MIPS from the trace, a 30-sample
 * utilisation history (newest first), migration flags and the running sums of its SLA history.
 */
final class SimVm {
    static final int HISTORY = 30;
    final int id;
    final double mips;
    final int ram;
    final double[] trace;
    SimHost host;      // where the VM object says it is (vm.getHost())
    SimHost placedOn;  // the allocation table (vmTable)
    boolean inMigration, instantiating = true, removed;
    /** False between creation and the cloudlet's submission at 0.1 s: a created VM with no cloudlet requests nothing. */
    boolean running;
    double schedulerTime;  // time the requested MIPS refer to
    double historyTime;    // last time a history sample was taken
    final double[] history = new double[HISTORY];
    int historySize;
    private double cachedAt = Double.NaN, cachedReq;
    // SLA history as running sums (entries at the same time replace each other, so the last one is pending)
    private double lastTime = -1, lastAlloc, lastReq;
    private boolean lastMigrating;
    double requestedTotal, underAllocatedMigrating;

    SimVm(int id, double mips, int ram, double[] trace) {
        this.id = id;
        this.mips = mips;
        this.ram = ram;
        this.trace = trace;
    }

    /** CPU utilisation fraction at {@code t}, interpolated like UtilizationModelPlanetLabInMemory. */
    double utilization(double t) {
        if (t % Replay.INTERVAL == 0) return trace[(int) t / (int) Replay.INTERVAL];
        int a = (int) Math.floor(t / Replay.INTERVAL), b = (int) Math.ceil(t / Replay.INTERVAL);
        if (b >= trace.length) return trace[trace.length - 1];
        double delta = (trace[b] - trace[a]) / ((b - a) * Replay.INTERVAL);
        return trace[a] + delta * (t - a * Replay.INTERVAL);
    }

    /** Requested MIPS now: all of it while being created, nothing until its cloudlet arrives, then trace x MIPS. */
    double requested() {
        if (instantiating) return mips;
        if (!running) return 0;
        if (cachedAt != schedulerTime) {
            cachedAt = schedulerTime;
            cachedReq = utilization(schedulerTime) * mips;
        }
        return cachedReq;
    }

    /** Cloudlet progress to {@code t}; takes a history sample at scheduling ticks (PowerVm's test, float quirks included). */
    void advance(double t) {
        schedulerTime = t;
        if (t > historyTime && (t - 0.1) % Replay.INTERVAL == 0) {
            double u = utilization(t);
            if (t != 0 || u != 0) {
                System.arraycopy(history, 0, history, 1, HISTORY - 1);
                history[0] = u;
                historySize = Math.min(HISTORY, historySize + 1);
            }
            historyTime = t;
        }
    }

    void record(double t, double allocated, double requested, boolean migrating) {
        if (lastTime != -1 && t != lastTime) {
            double dt = t - lastTime;
            requestedTotal += lastReq * dt;
            if (lastAlloc < lastReq && lastMigrating) underAllocatedMigrating += (lastReq - lastAlloc) * dt;
        }
        lastTime = t;
        lastAlloc = allocated;
        lastReq = requested;
        lastMigrating = migrating;
    }
}
