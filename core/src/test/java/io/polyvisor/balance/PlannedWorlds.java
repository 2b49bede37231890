package io.polyvisor.balance;

import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Helpers for balancer tests that replay a world written out by hand and plan on it again. */
final class PlannedWorlds {
    private PlannedWorlds() {}

    /** Adds {@code vm} to {@code vms} with its measured usage. */
    static void add(List<Vm> vms, Map<UUID, ClusterSnapshot.VmUsage> usage, Vm vm, double cores, long bytes) {
        vms.add(vm);
        usage.put(vm.id(), new ClusterSnapshot.VmUsage(cores, bytes));
    }

    /** The world after every move of {@code p} has landed (usage moves with its VM). */
    static ClusterSnapshot applied(ClusterSnapshot s, Plan p) {
        Map<UUID, String> to = new HashMap<>();
        p.moves().forEach(m -> to.put(m.vm(), m.to()));
        return new ClusterSnapshot(s.hosts(), s.vms().stream().map(v -> to.containsKey(v.id()) ? v.withHost(to.get(v.id())) : v).toList(), s.usage());
    }
}
