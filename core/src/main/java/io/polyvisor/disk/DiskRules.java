package io.polyvisor.disk;

import io.polyvisor.model.Disk;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.model.VmState;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Whether a volume may be attached to or detached from a VM now (hot when it runs): the reason to refuse, or empty.
 * Pure: reads only its arguments.
 */
public final class DiskRules {
    private DiskRules() {}

    /** A disk is attached to a running VM (hot-plug) or a stopped one, never during a transition or a migration. */
    private static Optional<String> steady(Vm vm, String what) {
        if (vm.state() instanceof VmState.Running || vm.state() instanceof VmState.Stopped) return Optional.empty();
        return Optional.of("vm " + vm.name() + " is " + vm.state().label() + "; disks are " + what + " a running or stopped VM");
    }

    /**
     * The volume must be free and in the pool of the VM's host (local storage) or in a shared pool, and the VM below
     * {@value VmSpec#MAX_DISKS} disks.
     */
    public static Optional<String> attach(Vm vm, Volume v, Function<UUID, String> vmName) {
        var state = steady(vm, "attached to");
        if (state.isPresent()) return state;
        if (v.vm() != null) return Optional.of("volume " + v.name() + " is already attached to VM " + vmName.apply(v.vm()));
        if (!v.shared() && !v.host().equals(vm.host())) { // a shared volume: the caller checks the host declares its pool
            return Optional.of("volume " + v.name() + " is on host " + v.host() + ", not on host " + vm.host() + " (vm " + vm.name() + "'s host)");
        }
        if (vm.spec().disks().size() >= VmSpec.MAX_DISKS) {
            return Optional.of("vm " + vm.name() + " has " + VmSpec.MAX_DISKS + " disks, the most a VM can have");
        }
        return Optional.empty();
    }

    /** The volume must be one of the VM's disks, and not its first ({@code vda}, which it may boot from). */
    public static Optional<String> detach(Vm vm, Volume v) {
        var state = steady(vm, "detached from");
        if (state.isPresent()) return state;
        int index = vm.spec().disks().stream().map(Disk::volume).toList().indexOf(v.name());
        if (index < 0) return Optional.of("volume " + v.name() + " is not attached to VM " + vm.name());
        if (index == 0) {
            return Optional.of("volume " + v.name() + " is vm " + vm.name() + "'s first disk (vda); only its other disks can be detached");
        }
        return Optional.empty();
    }
}
