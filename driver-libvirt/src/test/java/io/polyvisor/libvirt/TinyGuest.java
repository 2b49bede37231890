package io.polyvisor.libvirt;

import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyImage;
import io.polyvisor.model.Boot;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;

import java.nio.file.Path;
import java.util.List;

/** The tiny guest for tests: built once per machine into {@link #DIR} (Debian packages cached), 128 MiB, 1 vCPU. */
public final class TinyGuest {
    /** One folder per kit version, so test runs of different checkouts on one machine do not rebuild each other's. */
    public static final Path DIR = Path.of("/var/tmp/polyvisor-test/tiny-" + ImageKit.KIT_VERSION);
    private static TinyImage image;

    private TinyGuest() {}

    public static synchronized TinyImage image() {
        if (image == null) image = new ImageKit(ImageKit.defaultCache()).ensureTiny(DIR);
        return image;
    }

    public static VmSpec spec(List<Integer> expose) {
        var img = image();
        return new VmSpec(1, 128 * Sizes.MiB, new Boot.Kernel(img.kernel().toString(), img.initrd().toString(), img.cmdline()),
                null, expose);
    }
}
