package io.polyvisor.lifecycle;

import io.polyvisor.model.Vm;
import io.polyvisor.placement.ClusterSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * VMs placed by a create whose transaction has not committed yet. Contract: a VM is added under
 * {@link VmRequests}' create lock, right after it was placed, and removed once its transaction committed or failed;
 * so every placed VM is, for a placement under that lock, in the committed rows it reads or here (or both, for the
 * moment between its commit and its removal: {@link #over} counts it once). That is what lets creates commit, and
 * wait for the disk, outside the lock without two of them taking the same last room or the same name.
 */
final class PendingCreates {
    private final Map<UUID, Vm> placed = new ConcurrentHashMap<>();

    void add(Vm vm) {
        placed.put(vm.id(), vm);
    }

    void remove(UUID id) {
        placed.remove(id);
    }

    boolean holdsName(String name) {
        for (Vm vm : placed.values()) {
            if (vm.name().equals(name)) return true;
        }
        return false;
    }

    /** {@code committed} with the pending VMs it does not already hold. */
    ClusterSnapshot over(ClusterSnapshot committed) {
        if (placed.isEmpty()) return committed;
        Set<UUID> seen = new HashSet<>();
        for (Vm vm : committed.vms()) seen.add(vm.id());
        List<Vm> vms = new ArrayList<>(committed.vms());
        for (Vm vm : placed.values()) {
            if (!seen.contains(vm.id())) vms.add(vm);
        }
        return new ClusterSnapshot(committed.hosts(), vms, committed.usage());
    }
}
