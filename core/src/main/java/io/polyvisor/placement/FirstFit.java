package io.polyvisor.placement;

import io.polyvisor.model.Host;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.List;
import java.util.Map;

/**
 * The simplest placer: the first schedulable host (in snapshot order) with enough unreserved CPU and
 * memory for the VM's spec. A stand-in until the filter/scorer scheduler replaces it.
 */
public final class FirstFit implements Placer {
    @Override
    public Placement place(ClusterSnapshot snapshot, PlacementRequest request) {
        Vm vm = request.vm();
        int excludedState = 0, excludedCapacity = 0, excludedOther = 0;
        for (Host h : snapshot.hosts()) {
            if (request.pinnedHost() != null && !request.pinnedHost().equals(h.name())
                    || request.excludeHosts().contains(h.name())) {
                excludedOther++;
                continue;
            }
            if (!h.state().schedulable()) {
                excludedState++;
                continue;
            }
            if (!fits(snapshot, h, vm)) {
                excludedCapacity++;
                continue;
            }
            return new Placement.Placed(h.name(), List.of());
        }
        if (request.pinnedHost() != null && snapshot.hosts().stream().noneMatch(h -> h.name().equals(request.pinnedHost()))) {
            return new Placement.Rejected("host " + request.pinnedHost() + " does not exist", Map.of("pinned", 1), false);
        }
        String reason = "no host fits " + vm.name() + ": capacity excluded " + excludedCapacity
                + ", host state excluded " + excludedState + (excludedOther > 0 ? ", pinning/exclusion excluded " + excludedOther : "");
        return new Placement.Rejected(reason,
                Map.of("capacity", excludedCapacity, "state", excludedState, "pinned", excludedOther), excludedCapacity > 0);
    }

    static boolean fits(ClusterSnapshot s, Host h, Vm vm) {
        long mem = 0;
        int cpus = 0;
        for (Vm other : s.vms()) {
            if (h.name().equals(other.host()) && !other.id().equals(vm.id()) && !(other.state() instanceof VmState.Deleted)) {
                mem += other.spec().memoryBytes();
                cpus += other.spec().vcpus();
            }
        }
        return mem + vm.spec().memoryBytes() <= h.capacity().memoryBytes()
                && cpus + vm.spec().vcpus() <= h.capacity().cpus() * 4L; // default CPU overcommit 4:1
    }
}
