package io.polyvisor.storage;

import io.polyvisor.disk.*;
import io.polyvisor.api.Nullable;
import io.polyvisor.model.Sizes;
import io.polyvisor.spi.Storage;

import java.time.Instant;
import java.util.List;

/** What the storage routes return, and the {@code disks} field of every VM. */
final class StorageViews {
    private StorageViews() {}

    /**
     * @param size  the size as people write it ({@code 10 GiB})
     * @param vm    the VM it is attached to, absent when free
     * @param host  the host whose local pool holds it; for a volume in a shared pool, the host that last made or ran it
     * @param pool  the shared pool holding it, absent for a host's local pool
     */
    record VolumeView(String name, String host, long sizeBytes, String size, @Nullable String image, @Nullable String vm,
                      boolean deleteWithVm, String project, @Nullable String pool) {}

    /**
     * @param usedBy the volumes made from it (it cannot be deleted while any is left)
     * @param host   absent for an imported image; a template's image: the host whose pool alone holds it
     */
    record ImageView(String name, String format, long virtualSizeBytes, String virtualSize, long fileSizeBytes, List<String> usedBy,
                     @Nullable String host) {}

    /** @param running whether the VM was running when it was taken (memory state included) */
    record SnapshotView(String name, Instant created, boolean running) {}

    /** A clone being made: the new VM, its host, its volumes (copies), and the create task to follow. */
    record CloneView(String vm, String host, List<String> volumes, String task) {}

    /** One disk of a VM, in guest order ({@code vda} first); {@code pool} is its shared pool, absent for the host's local pool. */
    record DiskView(String volume, long sizeBytes, String size, String bus, @Nullable String pool) {}

    static VolumeView volume(Volume v, String vmName, String project) {
        return new VolumeView(v.name(), v.host(), v.sizeBytes(), Sizes.format(v.sizeBytes()), v.image(), vmName, v.deleteWithVm(), project, v.pool());
    }

    static ImageView image(Image i, List<Volume> volumes) {
        return new ImageView(i.name(), i.format().label(), i.virtualSize(), Sizes.format(i.virtualSize()), i.fileSize(),
                volumes.stream().filter(v -> i.name().equals(v.image())).map(Volume::name).toList(), i.host());
    }

    static SnapshotView snapshot(Storage.SnapshotInfo s) {
        return new SnapshotView(s.name(), Instant.ofEpochSecond(s.createdEpochSeconds()), s.running());
    }
}
