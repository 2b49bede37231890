package io.polyvisor.disk;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;

import java.util.UUID;

/**
 * A storage volume: a qcow2 file in one host's pool, empty or copy-on-write over an image.
 *
 * @param host         the host whose pool holds it (a VM using it must run there); for a volume on a shared pool, the
 *                     host that last made or ran it, through which it is managed when it answers
 * @param pool         the shared pool holding it, or null for {@code host}'s own local pool
 * @param image        the image it was made from, or null for an empty volume
 * @param vm           the VM it is attached to, or null
 * @param deleteWithVm made for a VM by {@code vm create --image}: deleted with that VM rather than detached
 */
public record Volume(String name, String host, long sizeBytes, String image, UUID vm, boolean deleteWithVm, String pool) {
    public Volume {
        StorageNames.volume(name);
        Names.requireName("host", host);
        DiskSizes.require("size", sizeBytes);
        if (image != null) StorageNames.image(image);
        InvalidInput.require(!deleteWithVm || vm != null, "a volume deleted with its VM must be attached to it");
        if (pool != null) StorageNames.pool(pool);
    }

    /** A volume of {@code host}'s local pool. */
    public Volume(String name, String host, long sizeBytes, String image, UUID vm, boolean deleteWithVm) {
        this(name, host, sizeBytes, image, vm, deleteWithVm, null);
    }

    public boolean shared() {
        return pool != null;
    }

    /** The disk a VM sees for it. */
    public io.polyvisor.model.Disk disk() {
        return io.polyvisor.model.Disk.of(name, pool);
    }

    public Volume onHost(String next) {
        return new Volume(name, next, sizeBytes, image, vm, deleteWithVm, pool);
    }

    public Volume withSize(long next) {
        return new Volume(name, host, next, image, vm, deleteWithVm, pool);
    }

    public Volume attachedTo(UUID next, boolean deleteWith) {
        return new Volume(name, host, sizeBytes, image, next, deleteWith, pool);
    }

    public Volume detached() {
        return new Volume(name, host, sizeBytes, image, null, false, pool);
    }
}
