package io.polyvisor.ha;

import io.polyvisor.model.Disk;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Optional;

/**
 * Whether HA could restart a protected VM on another host: not when one of its disks is a volume in its host's local
 * pool, which no other host can open (the placement filter {@code local-storage} admits no other host for a restart).
 * Disks in shared pools are no obstacle: every host that declares the pool reaches them. The reason a user reads in
 * {@code ha status}; admission control leaves such VMs out of its reservations. Pure.
 */
public final class LocalDisks {
    private LocalDisks() {}

    /** The reason {@code vm} (protected, with a local disk, not deleted) cannot be restarted elsewhere; empty otherwise. */
    public static Optional<String> notRestartable(Vm vm) {
        if (vm.protection() == Protection.NONE || HaLabels.isStandby(vm) || vm.state() instanceof VmState.Deleted) {
            return Optional.empty();
        }
        var local = vm.spec().disks().stream().filter(Disk::local).map(Disk::volume).toList();
        if (local.isEmpty()) return Optional.empty();
        return Optional.of("its disks (" + String.join(", ", local) + ") are volumes in " + (vm.host() == null ? "its host" : "host " + vm.host())
                + "'s local pool: HA cannot restart it on another host");
    }

    /** Whether HA can restart {@code vm} on another host as far as its disks go (no local disk). */
    public static boolean restartable(Vm vm) {
        return vm.spec().disks().stream().noneMatch(Disk::local);
    }
}
