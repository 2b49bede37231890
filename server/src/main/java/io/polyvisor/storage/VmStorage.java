package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.lifecycle.VmDisks;
import io.polyvisor.model.Disk;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The disks of a VM create ({@link VmDisks}): {@code image} gives the VM a new copy-on-write volume {@code NAME-root}
 * over the image, made on the host the VM is placed on and deleted with the VM; {@code volumes} are existing volumes,
 * attached in order, which pin the VM to their host (local storage) and are detached, not deleted, with the VM.
 */
final class VmStorage implements VmDisks {
    /** Longest VM name with {@code image}: its volume {@code NAME-root} must be a valid volume name. */
    static final int MAX_NAME_WITH_IMAGE = 58;

    private final Store store;
    private final Volumes volumes;
    private final Images images;

    VmStorage(Store store, Volumes volumes, Images images) {
        this.store = store;
        this.volumes = volumes;
        this.images = images;
    }

    static String rootVolume(String vm) {
        return vm + "-root";
    }

    @Override
    public Plan plan(String vm, Request request, String pinned) {
        Image image = null;
        if (request.image() != null) {
            InvalidInput.require(vm.length() <= MAX_NAME_WITH_IMAGE, "a VM created from an image may have a name of at most "
                    + MAX_NAME_WITH_IMAGE + " characters (its volume is named NAME-root), got " + vm.length());
            image = images.find(request.image());
            if (request.diskSizeBytes() != null && request.diskSizeBytes() < image.virtualSize()) {
                throw new InvalidInput("disk_size must be at least image " + image.name() + "'s "
                        + io.polyvisor.model.Sizes.format(image.virtualSize()) + ", got " + io.polyvisor.model.Sizes.format(request.diskSizeBytes()));
            }
            if (store.volume(rootVolume(vm)).isPresent()) throw Refusal.conflict("a volume named " + rootVolume(vm) + " already exists");
        }
        var pool = request.pool() == null ? null : volumes.sharedPool(request.pool(), image);
        var attach = new ArrayList<Volume>();
        for (String name : request.volumes()) attach.add(volumes.find(name));
        String over = pool != null ? pinned : switch (StorageRules.placeOver(image, pinned)) {
            case StorageRules.Placement.On on -> on.host();
            case StorageRules.Placement.Refused r -> throw Refusal.conflict(r.reason());
        };
        String host = switch (StorageRules.placeWith(attach, over, volumes::vmName)) {
            case StorageRules.Placement.On on -> on.host();
            case StorageRules.Placement.Refused r -> throw Refusal.conflict(r.reason());
        };
        return new Plan() {
            @Override
            public String host() {
                return host;
            }

            @Override
            public List<Disk> sharedDisks() {
                var out = new ArrayList<Disk>();
                if (pool != null) out.add(Disk.of(rootVolume(vm), pool.name()));
                attach.stream().filter(Volume::shared).map(Volume::disk).forEach(out::add);
                return out;
            }

            @Override
            public Made make(String on) {
                Volume root = null;
                if (request.image() != null) {
                    root = volumes.prepare(new Volumes.Request(rootVolume(vm), request.diskSizeBytes(), request.image(), on, null,
                            pool == null ? null : pool.name()));
                    volumes.make(root);
                }
                return made(root, attach);
            }
        };
    }

    private Made made(Volume root, List<Volume> attach) {
        var disks = new ArrayList<Disk>();
        if (root != null) disks.add(root.disk());
        attach.forEach(v -> disks.add(v.disk()));
        return new Made() {
            @Override
            public List<Disk> disks() {
                return List.copyOf(disks);
            }

            @Override
            public void record(Store tx, UUID vm) {
                String project = tx.vm(vm).map(Vm::project).orElse(Vm.DEFAULT_PROJECT);
                if (root != null) DiskQuota.admit(tx, project, root.sizeBytes());
                if (root != null) {
                    Volume owned = root.attachedTo(vm, true);
                    tx.insertVolume(owned);
                    volumes.recordCreated(tx, owned, project);
                }
                for (Volume v : attach) {
                    Volume now = tx.volume(v.name()).orElseThrow(() -> Refusal.notFound("volume " + v.name() + " not found"));
                    new io.polyvisor.api.Owners(tx).requireIn(io.polyvisor.access.Owned.VOLUME, v.name(), project);
                    if (now.vm() != null) throw Refusal.conflict("volume " + v.name() + " is already attached to VM " + volumes.vmName(now.vm()));
                    tx.updateVolume(now.attachedTo(vm, false));
                }
            }

            @Override
            public void undo() {
                if (root != null) volumes.unmake(root);
            }
        };
    }
}
