package io.polyvisor.lifecycle;

import io.polyvisor.api.Body;
import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;

/** The {@code boot} object of a request (a VM's, a group's member template): an image, or a kernel with initrd and cmdline. */
public final class BootBody {
    private BootBody() {}

    /** {@code boot} read from the request; none when absent. */
    public static Boot parse(Body boot) {
        if (boot == null) return Boot.none();
        String image = boot.string("image");
        String kernel = boot.string("kernel");
        if (image != null) {
            InvalidInput.require(kernel == null && !boot.has("initrd") && !boot.has("cmdline"),
                    "boot takes an image or a kernel (with initrd and cmdline), not both");
            return new Boot.Disk(image);
        }
        InvalidInput.require(kernel != null, "boot needs a kernel or an image");
        return new Boot.Kernel(kernel, boot.string("initrd"), boot.string("cmdline"));
    }
}
