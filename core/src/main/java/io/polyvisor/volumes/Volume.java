package io.polyvisor.volumes;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;

import java.util.UUID;

/**
 * A storage volume: a qcow2 file in one host's pool, empty or copy-on-write over an image.
 *
 * @param host         the host whose pool holds it (a VM using it must run there)
 * @param image        the image it was made from, or null for an empty volume
 * @param vm           the VM it is attached to, or null
 * @param deleteWithVm made for a VM by {@code vm create --image}: deleted with that VM rather than detached
 */
public record Volume(String name, String host, long sizeBytes, String image, UUID vm, boolean deleteWithVm) {
    public Volume {
        StorageNames.volume(name);
        Names.requireName("host", host);
        DiskSizes.require("size", sizeBytes);
        if (image != null) StorageNames.image(image);
        InvalidInput.require(!deleteWithVm || vm != null, "a volume deleted with its VM must be attached to it");
    }

    public Volume withSize(long next) {
        return new Volume(name, host, next, image, vm, deleteWithVm);
    }

    public Volume attachedTo(UUID next, boolean deleteWith) {
        return new Volume(name, host, sizeBytes, image, next, deleteWith);
    }

    public Volume detached() {
        return new Volume(name, host, sizeBytes, image, null, false);
    }
}
