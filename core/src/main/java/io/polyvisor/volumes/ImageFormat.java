package io.polyvisor.volumes;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.util.Locale;

/** Disk image formats Polyvisor imports: qcow2 and raw, always named explicitly (QEMU never probes them). */
public enum ImageFormat {
    QCOW2, RAW;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code qcow2} or {@code raw}; null means qcow2. */
    public static ImageFormat parse(String text) {
        if (text == null) return QCOW2;
        return switch (text) {
            case "qcow2" -> QCOW2;
            case "raw" -> RAW;
            default -> throw new InvalidInput("format must be qcow2 or raw, got '" + Strings.printable(text) + "'");
        };
    }
}
