package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.events.Journal;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Storage;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Volumes: every change is validated first, then made on the host, then recorded; a failed record undoes the host's
 * change. Serialised (one change at a time), so two creates cannot both take the last room of a pool.
 */
final class Volumes {
    private final Store store;
    private final Journal journal;
    private final HostStorage hosts;
    private final Images images;

    Volumes(Store store, Journal journal, HostStorage hosts, Images images) {
        this.store = store;
        this.journal = journal;
        this.hosts = hosts;
        this.images = images;
    }

    /**
     * A volume to make: {@code size} null means the image's size; {@code host} null lets the pools' room decide;
     * {@code project} owns it (a VM's own volume: the VM's).
     */
    record Request(String name, Long size, String image, String host, String project, String pool) {
        Request(String name, Long size, String image, String host, String project) {
            this(name, size, image, host, project, null);
        }
    }

    synchronized Volume create(Request r) {
        Volume v = prepare(r);
        DiskQuota.admit(store, r.project(), v.sizeBytes()); // before the host makes it: an over-quota create says so first
        make(v);
        try {
            store.inTransaction(tx -> {
                DiskQuota.admit(tx, r.project(), v.sizeBytes()); // again under the project row's lock, with the insert
                tx.insertVolume(v);
                recordCreated(tx, v, r.project());
                return null;
            });
        } catch (RuntimeException e) {
            unmake(v);
            throw e;
        }
        return v;
    }

    /** Checks a request against what exists and chooses the host; writes nothing. */
    synchronized Volume prepare(Request r) {
        StorageNames.volume(r.name());
        if (r.host() != null) Names.requireName("host", r.host());
        Image image = r.image() == null ? null : images.find(r.image());
        long size = r.size() != null ? r.size() : image != null ? image.virtualSize() : -1;
        InvalidInput.require(size > 0, "size is required for a volume without an image (e.g. 10G)");
        DiskSizes.require("size", size);
        if (image != null && size < image.virtualSize()) {
            throw new InvalidInput("size must be at least image " + image.name() + "'s " + Sizes.format(image.virtualSize())
                    + ", got " + Sizes.format(size));
        }
        if (store.volume(r.name()).isPresent()) throw Refusal.conflict("a volume named " + r.name() + " already exists");
        long needed = size + (image == null ? 0 : image.fileSize());
        if (r.pool() != null) return inSharedPool(r, image, size, needed);
        String pinned = switch (StorageRules.placeOver(image, r.host())) {
            case StorageRules.Placement.On on -> on.host();
            case StorageRules.Placement.Refused refused -> throw Refusal.conflict(refused.reason());
        };
        String host;
        if (pinned != null) {
            var pool = hosts.read(pinned, "read the pool", Storage::pool);
            StorageRules.fits(new StorageRules.PoolRoom(pinned, pool.availableBytes()), needed).ifPresent(reason -> {
                throw Refusal.conflict(reason);
            });
            host = pinned;
        } else {
            var rooms = new ArrayList<StorageRules.PoolRoom>();
            for (var h : store.hosts()) {
                if (!h.state().schedulable()) continue;
                try {
                    rooms.add(new StorageRules.PoolRoom(h.name(), hosts.read(h.name(), "read the pool", Storage::pool).availableBytes()));
                } catch (Refusal noPool) {
                    // unreachable or without storage: not a candidate
                }
            }
            host = switch (StorageRules.choose(rooms, needed)) {
                case StorageRules.Choice.Chosen c -> c.host();
                case StorageRules.Choice.NoRoom n -> throw Refusal.conflict(n.reason());
            };
        }
        return new Volume(r.name(), host, size, image == null ? null : image.name(), null, false);
    }

    /**
     * A volume in shared pool {@code r.pool()}: made through {@code r.host()}, which must declare the pool, or through the
     * first connected host that does. A template's image is in one host's local pool, so no shared volume is made over it.
     */
    private Volume inSharedPool(Request r, Image image, long size, long needed) {
        SharedPool pool = sharedPool(r.pool(), image);
        if (r.host() != null && !pool.hosts().contains(r.host())) {
            throw Refusal.conflict("host " + r.host() + " does not declare shared pool " + pool.name() + " (declared on "
                    + String.join(", ", pool.hosts()) + ")");
        }
        String via = r.host() != null ? r.host() : hosts.through(pool, null, "create volume " + r.name());
        long available = hosts.shared(pool, via, "read the pool", s -> s.pool().availableBytes());
        StorageRules.fitsShared(pool.name(), available, needed).ifPresent(reason -> {
            throw Refusal.conflict(reason);
        });
        return new Volume(r.name(), via, size, image == null ? null : image.name(), null, false, pool.name());
    }

    /** Shared pool {@code name} (404 if unknown), which a volume over {@code image} (may be null) can be made in. */
    SharedPool sharedPool(String name, Image image) {
        SharedPool pool = hosts.pool(StorageNames.pool(name));
        if (image != null && image.host() != null) {
            throw Refusal.conflict("template " + image.name() + "'s image is only in host " + image.host()
                    + "'s local pool; a volume over it cannot be in shared pool " + pool.name());
        }
        return pool;
    }

    /** Makes the volume in its pool (copying its image there first); undo with {@link #unmake}. */
    void make(Volume v) {
        Image image = v.image() == null ? null : images.find(v.image());
        hosts.runOn(v, "create volume " + v.name(), s -> {
            if (image != null) images.ensureIn(s, image);
            s.createVolume(v.name(), v.sizeBytes(), v.image());
        });
    }

    void unmake(Volume v) {
        try {
            hosts.runOn(v, "delete volume " + v.name(), s -> s.deleteVolume(v.name()));
        } catch (Refusal unreachable) {
            // left in the host's pool under a name no row holds; a create of that name would reuse it (idempotent)
        }
    }

    /** Records the new volume's owner and its event, in the transaction that inserted it. */
    void recordCreated(Store tx, Volume v, String project) {
        tx.setOwner(io.polyvisor.access.Owned.VOLUME, v.name(), project);
        journal.record(tx, StorageEvent.VOLUME_CREATED, v.name(), "volume " + v.name() + " created " + where(v) + " ("
                + Sizes.format(v.sizeBytes()) + (v.image() == null ? "" : ", over image " + v.image()) + ", project " + project + ")");
    }

    /** Refuses (409) a VM of {@code project} using {@code v} when the volume is in another project. */
    void requireIn(Volume v, String project) {
        new io.polyvisor.api.Owners(store).requireIn(io.polyvisor.access.Owned.VOLUME, v.name(), project);
    }

    /** The project that owns {@code v}. */
    String project(Volume v) {
        return store.owner(io.polyvisor.access.Owned.VOLUME, v.name());
    }

    Volume find(String name) {
        return store.volume(StorageNames.volume(name)).orElseThrow(() -> Refusal.notFound("volume " + name + " not found"));
    }

    List<Volume> all() {
        return store.volumes();
    }

    synchronized Volume resize(String name, long size) {
        DiskSizes.require("size", size);
        Volume v = find(name);
        Vm vm = v.vm() == null ? null : store.vm(v.vm()).orElse(null);
        var use = vm == null || vm.state() instanceof VmState.Stopped ? StorageRules.Use.STOPPED : StorageRules.Use.ACTIVE;
        StorageRules.resize(v, size, vm == null ? String.valueOf(v.vm()) : vm.name(), use).ifPresent(reason -> {
            throw Refusal.conflict(reason);
        });
        if (size == v.sizeBytes()) return v;
        String project = project(v);
        DiskQuota.admit(store, project, size - v.sizeBytes());
        Volume next = v.withSize(size);
        // the new size is recorded first, under the project row's lock (its room reserved), then made on the host; a
        // failure there puts the old size back
        store.inTransaction(tx -> {
            DiskQuota.admit(tx, project, size - v.sizeBytes());
            tx.updateVolume(next);
            return null;
        });
        try {
            hosts.runOn(v, "resize volume " + name, s -> s.resizeVolume(name, size));
        } catch (RuntimeException e) {
            store.updateVolume(v);
            throw e;
        }
        store.inTransaction(tx -> {
            journal.record(tx, StorageEvent.VOLUME_RESIZED, name, "volume " + name + " resized from " + Sizes.format(v.sizeBytes())
                    + " to " + Sizes.format(size));
            return null;
        });
        return next;
    }

    synchronized void delete(String name) {
        Volume v = find(name);
        StorageRules.delete(v, vmName(v.vm())).ifPresent(reason -> {
            throw Refusal.conflict(reason);
        });
        hosts.runOn(v, "delete volume " + name, s -> s.deleteVolume(name));
        store.inTransaction(tx -> {
            tx.deleteVolume(name);
            journal.record(tx, StorageEvent.VOLUME_DELETED, name, "volume " + name + " deleted from " + (v.shared() ? "shared pool " + v.pool() : "host " + v.host()));
            return null;
        });
    }

    static String where(Volume v) {
        return v.shared() ? "in shared pool " + v.pool() + " (through host " + v.host() + ")" : "on host " + v.host();
    }

    String vmName(UUID id) {
        return id == null ? null : store.vm(id).map(Vm::name).orElse(id.toString());
    }
}
