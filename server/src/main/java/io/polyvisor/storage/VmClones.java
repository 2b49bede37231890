package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.lifecycle.VmDisks;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Names;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code vm clone SRC NEW}: a new VM with SRC's size and boot, on SRC's host, whose disks are full copies of SRC's
 * volumes ({@code NEW-root}, then {@code NEW-disk1}, ...), made by the host ({@link io.polyvisor.spi.Storage#copyVolume}).
 * SRC must be stopped, so its disks do not change during the copy. Labels and protection are not copied (a label
 * {@code group} would make the clone a member of SRC's group). The copies are then attached through the ordinary
 * create path; if it refuses, the copies are deleted again.
 */
final class VmClones {
    private final Store store;
    private final HostStorage hosts;
    private final Volumes volumes;
    private final Supplier<VmRequests> requests;

    VmClones(Store store, HostStorage hosts, Volumes volumes, Supplier<VmRequests> requests) {
        this.store = store;
        this.hosts = hosts;
        this.volumes = volumes;
        this.requests = requests;
    }

    static String volumeName(String vm, int index) {
        return index == 0 ? vm + "-root" : vm + "-disk" + index;
    }

    synchronized VmRequests.Accepted clone(Vm src, String name, boolean start) {
        Names.requireName("VM", name);
        if (!(src.state() instanceof VmState.Stopped)) {
            throw Refusal.conflict("vm " + src.name() + " is " + src.state().label() + "; it must be stopped to be cloned");
        }
        if (store.vmByName(name).isPresent()) throw Refusal.conflict("a VM named " + name + " already exists");
        var names = new ArrayList<String>();
        var sources = new ArrayList<Volume>();
        for (int i = 0; i < src.spec().disks().size(); i++) {
            String n = volumeName(name, i);
            if (n.length() > 63) throw new io.polyvisor.model.InvalidInput("a clone of a VM with disks may have a name of at most "
                    + (63 - (i == 0 ? 5 : 6)) + " characters (its volumes are named NAME-root, NAME-disk1 ...)");
            if (store.volume(n).isPresent()) throw Refusal.conflict("a volume named " + n + " already exists");
            names.add(n);
            sources.add(volumes.find(src.spec().disks().get(i).volume()));
        }
        DiskQuota.admit(store, src.project(), sources.stream().mapToLong(Volume::sizeBytes).sum());
        var made = new ArrayList<Volume>();
        try {
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                Volume from = sources.get(i);
                hosts.runOn(from, "copy volume " + from.name(), s -> s.copyVolume(from.name(), n));
                Volume copy = new Volume(n, from.host(), from.sizeBytes(), null, null, false, from.pool());
                made.add(copy);
                store.inTransaction(tx -> {
                    DiskQuota.admit(tx, src.project(), copy.sizeBytes()); // under the project row's lock, with the insert
                    tx.insertVolume(copy);
                    volumes.recordCreated(tx, copy, src.project());
                    return null;
                });
            }
            var spec = src.spec().withDisks(List.of());
            // the clone belongs to its source's project (and counts against its quota)
            return requests.get().create(new VmRequests.Create(name, spec, null, null, src.priority(), src.host(), start,
                    src.project(), new VmDisks.Request(null, null, names)));
        } catch (RuntimeException e) {
            for (Volume v : made) {
                volumes.unmake(v);
                store.deleteVolume(v.name());
            }
            throw e;
        }
    }
}
