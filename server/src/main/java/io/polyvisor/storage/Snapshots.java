package io.polyvisor.storage;

import io.polyvisor.volumes.*;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Storage;

import java.util.List;

/**
 * Snapshots of a VM's disks, taken on its host right away (not through the task queue: they take a second or two and
 * change no VM row). A VM must have disks, a host, and be running or stopped; a revert must find the VM in the power
 * state the snapshot was taken in (running with memory state, or stopped), so a revert never starts or stops a VM
 * behind the lifecycle's back.
 */
final class Snapshots {
    private final io.polyvisor.store.Store store;
    private final Journal journal;
    private final HostStorage hosts;

    Snapshots(io.polyvisor.store.Store store, Journal journal, HostStorage hosts) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
    }

    List<Storage.SnapshotInfo> list(Vm vm) {
        return hosts.on(host(vm), "list snapshots", s -> s.snapshots(vm.id()));
    }

    Storage.SnapshotInfo create(Vm vm, String name) {
        StorageNames.snapshot(name);
        String host = ready(vm);
        if (list(vm).stream().anyMatch(s -> s.name().equals(name))) {
            throw Refusal.conflict("vm " + vm.name() + " already has a snapshot named " + name);
        }
        var s = hosts.on(host, "snapshot vm " + vm.name(), st -> st.createSnapshot(vm.id(), name));
        journal.record(StorageEvent.SNAPSHOT_CREATED, vm.name(), "snapshot " + name + " of " + vm.name() + " taken"
                + (s.running() ? " (disks and memory)" : " (disks)"));
        return s;
    }

    void revert(Vm vm, String name) {
        StorageNames.snapshot(name);
        String host = ready(vm);
        var snap = find(vm, name);
        boolean running = vm.state() instanceof VmState.Running;
        if (snap.running() != running) {
            throw Refusal.conflict("snapshot " + name + " was taken while vm " + vm.name() + " was " + (snap.running() ? "running" : "stopped")
                    + "; " + (snap.running() ? "start" : "stop") + " it first");
        }
        hosts.run(host, "revert vm " + vm.name(), st -> st.revertSnapshot(vm.id(), name));
        if (running) hosts.forward(host, vm.id(), store.endpoints(vm.id()));
        journal.record(StorageEvent.SNAPSHOT_REVERTED, vm.name(), vm.name() + " reverted to snapshot " + name);
    }

    void delete(Vm vm, String name) {
        StorageNames.snapshot(name);
        find(vm, name);
        hosts.run(host(vm), "delete snapshot of vm " + vm.name(), st -> st.deleteSnapshot(vm.id(), name));
        journal.record(StorageEvent.SNAPSHOT_DELETED, vm.name(), "snapshot " + name + " of " + vm.name() + " deleted");
    }

    private Storage.SnapshotInfo find(Vm vm, String name) {
        return list(vm).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> Refusal.notFound("vm " + vm.name() + " has no snapshot " + name));
    }

    private static String host(Vm vm) {
        if (vm.spec().disks().isEmpty()) throw Refusal.conflict("vm " + vm.name() + " has no disks to snapshot");
        if (vm.host() == null) throw Refusal.conflict("vm " + vm.name() + " has no host yet");
        return vm.host();
    }

    private static String ready(Vm vm) {
        String host = host(vm);
        if (!(vm.state() instanceof VmState.Running) && !(vm.state() instanceof VmState.Stopped)) {
            throw Refusal.conflict("vm " + vm.name() + " is " + vm.state().label() + "; snapshots need it running or stopped");
        }
        return host;
    }
}
