package io.polyvisor.placement;

/**
 * Prefers the fullest host that still fits (best fit), so that hosts stay empty for large VMs and can be
 * powered down: the mean of the CPU and memory reserved fractions after placing the VM.
 */
final class BinPackScorer implements HostScorer {
    static final String NAME = "binpack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(ClusterView v, int h, Demand d) {
        double cpu = v.cpuCapacity(h) <= 0 ? 1 : (v.cpuReserved(h) + d.vcpus()) / v.cpuCapacity(h);
        double mem = v.memoryCapacity(h) <= 0 ? 1 : (v.memoryReserved(h) + d.memoryBytes()) / v.memoryCapacity(h);
        return Math.min(1, (cpu + mem) / 2);
    }
}
