package io.polyvisor.sim;

import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.PowerState;

import java.util.UUID;

/**
 * One simulated domain on one host. Deliberately small (a few fields, no collections unless port forwards were
 * asked for) so that a process holds 100,000 of them. Mutable; guarded by its data centre's lock.
 */
final class SimVm {
    final UUID id;
    final String name;
    final int vcpus;
    final long memoryBytes;
    PowerState state = PowerState.SHUTOFF;
    /** Data-centre-wide number of the last power-on, so a delayed guest shutdown can tell whether it still applies. */
    int boots;
    /** Clock time of the last power-on, in epoch milliseconds: where a trace replay starts. */
    long bootMillis;
    /** Null: the load drawn from the data centre's seed. */
    LoadModel load;
    long dirtyBytesPerSec;
    /** The VM's NICs as defined (private ones with their MAC and address). */
    java.util.List<io.polyvisor.model.Nic> nics = java.util.List.of();
    boolean migrating;
    /** Host port, guest port pairs; null until a forward is asked for. Lost when the guest powers off or moves. */
    int[] forwards;
    /** The pool volumes it was defined with, in order; null when none. A live migration takes them along. */
    String[] volumes;
    /** Its volumes in shared pools, by volume: pool name. A live migration leaves them where they are. */
    final java.util.Map<String, String> shared = new java.util.HashMap<>(1);
    /** What the instance was defined with ({@link io.polyvisor.spi.Compute#define(UUID, String, io.polyvisor.model.VmSpec,
     *  io.polyvisor.spi.GuestData)}); goes with it when it migrates; not saved with the data centre's state. */
    io.polyvisor.spi.GuestData guestData = io.polyvisor.spi.GuestData.none();

    SimVm(UUID id, String name, int vcpus, long memoryBytes) {
        this.id = id;
        this.name = name;
        this.vcpus = vcpus;
        this.memoryBytes = memoryBytes;
    }

    boolean live() {
        return state == PowerState.RUNNING || state == PowerState.PAUSED;
    }

    DomainInfo info() {
        return new DomainInfo(id, name, state, vcpus, memoryBytes);
    }
}
