package io.polyvisor.volumes;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Strings;

/** The one rule for volume and disk sizes: 1 MiB to 16 TiB, a whole number of KiB (qcow2 clusters round up from there). */
public final class DiskSizes {
    public static final long MIN = Sizes.MiB;
    public static final long MAX = 16 * Sizes.TiB;

    private DiskSizes() {}

    /** Parses {@code text} (512M, 10G, 1T ...) and checks the range; {@code field} names it in the message. */
    public static long parse(String field, String text) {
        InvalidInput.require(text != null && !text.isBlank(), field + " is required (e.g. 10G)");
        InvalidInput.require(!text.strip().startsWith("-"), field + " must be between 1 MiB and 16 TiB, got '" + Strings.printable(text) + "'");
        return require(field, Sizes.parse(field, text));
    }

    /** Checks {@code bytes} is in range and a whole number of KiB; returns it. */
    public static long require(String field, long bytes) {
        InvalidInput.require(bytes >= MIN && bytes <= MAX, field + " must be between 1 MiB and 16 TiB, got " + (bytes <= 0 ? Long.toString(bytes) : Sizes.format(bytes)));
        InvalidInput.require(bytes % Sizes.KiB == 0, field + " must be a whole number of KiB, got " + bytes + " bytes");
        return bytes;
    }
}
