package io.polyvisor.placement;

import io.polyvisor.model.Sizes;

import java.util.Locale;

/**
 * Hard capacity: reserved vCPUs and memory, including this VM, stay within the host's capacity times
 * the overcommit ratios of {@link PlacementSettings}.
 */
final class CapacityFilter implements HostFilter {
    static final String NAME = "capacity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView v, int h, Demand d) {
        return v.cpuReserved(h) + d.vcpus() <= v.cpuCapacity(h) && v.memoryReserved(h) + d.memoryBytes() <= v.memoryCapacity(h);
    }

    @Override
    public String reason(ClusterView v, int h, Demand d) {
        if (v.cpuReserved(h) + d.vcpus() > v.cpuCapacity(h)) {
            return String.format(Locale.ROOT, "host %s has %.1f of %.1f vCPUs free, the VM needs %d", v.host(h).name(),
                    Math.max(0, v.cpuCapacity(h) - v.cpuReserved(h)), v.cpuCapacity(h), d.vcpus());
        }
        return "host " + v.host(h).name() + " has " + Sizes.format((long) Math.max(0, v.memoryCapacity(h) - v.memoryReserved(h)))
                + " of memory free, the VM needs " + Sizes.format(d.memoryBytes());
    }

    @Override
    public boolean transientExclusion() {
        return true;
    }
}
