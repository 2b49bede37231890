package io.polyvisor.model;

/** Small helpers for echoing user input back in error messages without letting it break the message. */
public final class Strings {
    private Strings() {}

    /** {@code s} cut to 64 chars with control characters replaced, safe to quote in an error message. */
    public static String printable(String s) {
        if (s == null) return "null";
        var b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > 64) b.append("...");
        return b.toString();
    }
}
