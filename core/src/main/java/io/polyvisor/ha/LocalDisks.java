package io.polyvisor.ha;

import io.polyvisor.model.Disk;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Optional;

/**
 * Whether HA could restart a protected VM on another host: not when it has disks, which are volumes in its host's
 * local pool (shared pools are not built), so the placement filter {@code local-storage} admits no other host. The
 * reason a user reads in {@code ha status}. Pure.
 */
public final class LocalDisks {
    private LocalDisks() {}

    /** The reason {@code vm} (protected, with disks, not deleted) cannot be restarted elsewhere; empty otherwise. */
    public static Optional<String> notRestartable(Vm vm) {
        if (vm.protection() == Protection.NONE || HaLabels.isStandby(vm) || vm.spec().disks().isEmpty()
                || vm.state() instanceof VmState.Deleted) {
            return Optional.empty();
        }
        var volumes = String.join(", ", vm.spec().disks().stream().map(Disk::volume).toList());
        return Optional.of("its disks (" + volumes + ") are volumes in " + (vm.host() == null ? "its host" : "host " + vm.host())
                + "'s local pool: HA cannot restart it on another host");
    }
}
