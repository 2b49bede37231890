package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.model.Disk;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code vm attach-disk|detach-disk}: a free volume of the VM's host's pool becomes its next disk, or one of its disks
 * (not the first) becomes a free volume again, on a running VM (hot-plug) or a stopped one. Validated first
 * ({@link DiskRules}; a VM with snapshots is refused too, since a revert would bring back the disks it had then), then
 * done on the host, then recorded under the VM's row lock together with the volume and an event; a failed record undoes
 * the host's change.
 */
final class DiskAttachments {
    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;
    private final Volumes volumes;
    private final VmUpdates vms;

    DiskAttachments(Store store, Journal journal, HostStorage hosts, Volumes volumes, VmUpdates vms) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
        this.volumes = volumes;
        this.vms = vms;
    }

    Vm attach(Vm ref, String volume) {
        StorageNames.volume(volume);
        return vms.locked(ref.id(), () -> {
            Vm vm = current(ref);
            Volume v = volumes.find(volume);
            volumes.requireIn(v, vm.project());
            DiskRules.attach(vm, v, volumes::vmName).ifPresent(reason -> {
                throw Refusal.conflict(reason);
            });
            requireNoSnapshots(vm);
            var pool = v.shared() ? hosts.pool(v.pool()) : null;
            if (pool != null && !pool.hosts().contains(vm.host())) {
                throw Refusal.conflict("volume " + volume + " is in shared pool " + pool.name() + ", which host " + vm.host() + " (vm "
                        + vm.name() + "'s host) does not declare");
            }
            on(vm.host(), pool, "attach volume " + volume + " to vm " + vm.name(), s -> s.attachDisk(vm.id(), volume, v.disk().bus()));
            try {
                return vms.update(vm.id(), cur -> {
                    var disks = new ArrayList<>(cur.spec().disks());
                    disks.add(v.disk());
                    return cur.withSpec(cur.spec().withDisks(disks));
                }, (tx, before, after) -> {
                    Volume now = tx.volume(volume).orElseThrow(() -> Refusal.notFound("volume " + volume + " not found"));
                    if (now.vm() != null) throw Refusal.conflict("volume " + volume + " is already attached to VM " + volumes.vmName(now.vm()));
                    tx.updateVolume(now.attachedTo(vm.id(), false));
                    journal.record(tx, StorageEvent.VOLUME_ATTACHED, volume, "volume " + volume + " attached to VM " + vm.name()
                            + " (disk " + after.spec().disks().size() + ")");
                }).orElseThrow(() -> Refusal.notFound("vm " + vm.name() + " not found"));
            } catch (RuntimeException e) {
                undo(vm, () -> hosts.run(vm.host(), "detach volume " + volume, s -> s.detachDisk(vm.id(), volume)));
                throw e;
            }
        });
    }

    Vm detach(Vm ref, String volume) {
        StorageNames.volume(volume);
        return vms.locked(ref.id(), () -> {
            Vm vm = current(ref);
            Volume v = volumes.find(volume);
            DiskRules.detach(vm, v).ifPresent(reason -> {
                throw Refusal.conflict(reason);
            });
            requireNoSnapshots(vm);
            hosts.run(vm.host(), "detach volume " + volume + " from vm " + vm.name(), s -> s.detachDisk(vm.id(), volume));
            try {
                return vms.update(vm.id(), cur -> cur.withSpec(cur.spec().withDisks(
                        cur.spec().disks().stream().filter(d -> !d.volume().equals(volume)).toList())), (tx, before, after) -> {
                    tx.volume(volume).ifPresent(now -> tx.updateVolume(now.detached()));
                    journal.record(tx, StorageEvent.VOLUME_DETACHED, volume, "volume " + volume + " detached from VM " + vm.name());
                }).orElseThrow(() -> Refusal.notFound("vm " + vm.name() + " not found"));
            } catch (RuntimeException e) {
                undo(vm, () -> on(vm.host(), v.shared() ? hosts.pool(v.pool()) : null, "attach volume " + volume,
                        s -> s.attachDisk(vm.id(), volume, v.disk().bus())));
                throw e;
            }
        });
    }

    /** Runs {@code call} on {@code host}'s own pool, or on shared pool {@code pool} as {@code host} sees it. */
    private void on(String host, io.polyvisor.disk.SharedPool pool, String what, java.util.function.Consumer<io.polyvisor.spi.Storage> call) {
        if (pool == null) hosts.run(host, what, call);
        else hosts.sharedOn(host, pool, what, s -> {
            call.accept(s);
            return null;
        });
    }

    private Vm current(Vm ref) {
        return store.vm(ref.id()).orElseThrow(() -> Refusal.notFound("vm " + ref.name() + " not found"));
    }

    private void requireNoSnapshots(Vm vm) {
        List<String> names = hosts.on(vm.host(), "list snapshots", s -> s.snapshots(vm.id())).stream()
                .map(io.polyvisor.spi.Storage.SnapshotInfo::name).toList();
        if (!names.isEmpty()) {
            throw Refusal.conflict("vm " + vm.name() + " has snapshots (" + String.join(", ", names)
                    + "); delete them before attaching or detaching disks");
        }
    }

    private static void undo(Vm vm, Runnable change) {
        try {
            change.run();
        } catch (Refusal unreachable) {
            // the host keeps the change; the VM's definition there differs from its row until the next define
        }
    }
}
