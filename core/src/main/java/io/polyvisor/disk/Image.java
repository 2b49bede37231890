package io.polyvisor.disk;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;

/**
 * A disk image: read-only, the base that volumes are made from copy-on-write. Either imported (kept by the server and
 * copied into the pool of each host that uses it) or a template's disk ({@link Template}), which exists only in the
 * pool of the host it was made on, so volumes over it are made there.
 *
 * @param virtualSize the disk size a guest sees, as {@code qemu-img info} reported it
 * @param fileSize    bytes of the file kept by the server (and copied into the pools of hosts that use it); 0 for a
 *                    template's image, of which the server keeps no file
 * @param host        null for an imported image; for a template's image, the host whose pool alone holds it
 */
public record Image(String name, ImageFormat format, long virtualSize, long fileSize, String host) {
    public Image {
        StorageNames.image(name);
        InvalidInput.require(format != null, "image format is required");
        InvalidInput.require(virtualSize > 0 && fileSize >= 0, "image sizes must be positive");
        if (host != null) Names.requireName("host", host);
    }

    /** An imported image (kept by the server). */
    public Image(String name, ImageFormat format, long virtualSize, long fileSize) {
        this(name, format, virtualSize, fileSize, null);
    }
}
