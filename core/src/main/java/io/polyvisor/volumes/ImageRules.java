package io.polyvisor.volumes;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.Strings;

import java.util.Optional;

/**
 * Whether a file may be imported as an image declared {@code declared}, from what {@code qemu-img info} found in it.
 * Refused: a format other than declared (a raw file claimed as qcow2, or a qcow2 claimed as raw, which would hand the
 * guest qcow2 metadata as disk contents), a qcow2 with a backing file or an external data file (either would make
 * QEMU open a file outside the pool: the backing-file escape), and a virtual size out of range.
 */
public final class ImageRules {
    private ImageRules() {}

    /** The reason to refuse, or empty. */
    public static Optional<String> refusal(String name, ImageFormat declared, ImageFacts facts) {
        if (!declared.label().equals(facts.format())) {
            return Optional.of("image " + name + " was declared " + declared.label() + " but the file is "
                    + Strings.printable(facts.format()));
        }
        if (facts.backingFile() != null) {
            return Optional.of("image " + name + " has a backing file ('" + Strings.printable(facts.backingFile())
                    + "'): only self-contained images are accepted");
        }
        if (facts.dataFile() != null) {
            return Optional.of("image " + name + " has an external data file ('" + Strings.printable(facts.dataFile())
                    + "'): only self-contained images are accepted");
        }
        if (facts.virtualSize() < DiskSizes.MIN || facts.virtualSize() > DiskSizes.MAX) {
            return Optional.of("image " + name + " has a virtual size of " + Sizes.format(facts.virtualSize())
                    + "; it must be between 1 MiB and 16 TiB");
        }
        return Optional.empty();
    }
}
