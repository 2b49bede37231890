package io.polyvisor.coordination;

import io.polyvisor.model.InvalidInput;

import java.util.regex.Pattern;

/**
 * A key of a group's key-value store: 1 to {@value #MAX_LENGTH} characters, segments separated by '/', each segment
 * non-empty, not '.' or '..', of letters, digits, '.', '_' and '-'. So a key never names a path outside its group and
 * prefixes are plain string prefixes. The constructor refuses anything else with the message a user sees.
 */
public record KeyPath(String text) {
    public static final int MAX_LENGTH = 256;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public KeyPath {
        InvalidInput.require(text != null && !text.isEmpty(), "key is required");
        InvalidInput.require(text.length() <= MAX_LENGTH, "key must be at most " + MAX_LENGTH + " characters, got " + text.length());
        for (String seg : text.split("/", -1)) {
            InvalidInput.require(!seg.isEmpty(), "key must not have empty segments (a leading, trailing or double '/'), got '" + shown(text) + "'");
            InvalidInput.require(!seg.equals(".") && !seg.equals(".."), "key must not have '.' or '..' segments, got '" + shown(text) + "'");
            InvalidInput.require(SEGMENT.matcher(seg).matches(),
                    "key may hold only letters, digits, '.', '_', '-' and '/', got '" + shown(text) + "'");
        }
    }

    /**
     * A prefix for listing and watching: empty (the whole group) or the start of a key, checked like a key except
     * that it may end with '/'.
     */
    public static String prefix(String p) {
        if (p == null || p.isEmpty()) return "";
        new KeyPath(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
        return p;
    }

    /** A user's text as it may be echoed in a message: at most 64 characters, control characters as '?'. */
    public static String shown(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
