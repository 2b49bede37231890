package io.polyvisor.volumes;

import io.polyvisor.model.InvalidInput;

/**
 * An imported disk image: read-only, the base that volumes are made from copy-on-write.
 *
 * @param virtualSize the disk size a guest sees, as {@code qemu-img info} reported it
 * @param fileSize    bytes of the file kept by the server (and copied into the pools of hosts that use it)
 */
public record Image(String name, ImageFormat format, long virtualSize, long fileSize) {
    public Image {
        StorageNames.image(name);
        InvalidInput.require(format != null, "image format is required");
        InvalidInput.require(virtualSize > 0 && fileSize >= 0, "image sizes must be positive");
    }
}
