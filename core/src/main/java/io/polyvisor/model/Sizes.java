package io.polyvisor.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** Parses and prints byte sizes the way users write them: {@code 512M}, {@code 4G}, {@code 1T}, {@code 1048576}. */
public final class Sizes {
    public static final long KiB = 1024L;
    public static final long MiB = KiB * 1024;
    public static final long GiB = MiB * 1024;
    public static final long TiB = GiB * 1024;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /**
     * Parses {@code text} as a size in bytes; a bare number is bytes, suffixes K, M, G, T (with optional
     * {@code iB}/{@code B}) are powers of 1024.
     *
     * @throws InvalidInput naming {@code field} when the text is not a size
     */
    public static long parse(String field, String text) {
        var m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidInput(field + " must be a size such as 512M, 4G or 1T, got '" + Strings.printable(text) + "'");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> KiB;
            case "M" -> MiB;
            case "G" -> GiB;
            case "T" -> TiB;
            default -> 1;
        };
        if (n > Long.MAX_VALUE / unit) throw new InvalidInput(field + " is too large: " + Strings.printable(text));
        return n * unit;
    }

    /** Prints {@code bytes} in the largest binary unit that divides it exactly, e.g. {@code 512 MiB}. */
    public static String format(long bytes) {
        if (bytes != 0) {
            if (bytes % TiB == 0) return bytes / TiB + " TiB";
            if (bytes % GiB == 0) return bytes / GiB + " GiB";
            if (bytes % MiB == 0) return bytes / MiB + " MiB";
            if (bytes % KiB == 0) return bytes / KiB + " KiB";
        }
        return bytes + " B";
    }
}
