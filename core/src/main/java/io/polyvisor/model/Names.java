package io.polyvisor.model;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one rule for names of hosts and VMs and for label keys and values. Names are also used in
 * libvirt domain names, file names and URLs, so they are kept to a safe alphabet rather than escaped.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9._/-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[a-zA-Z0-9._-]{0,63}");

    private Names() {}

    /** Validates a host or VM name: 1-63 chars of a-z, 0-9 and '-', starting and ending with a letter or digit. */
    public static String requireName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput(kind + " name must be 1-63 characters of a-z, 0-9 and '-', starting and ending"
                    + " with a letter or digit, got '" + Strings.printable(name) + "'");
        }
        return name;
    }

    /** Validates labels and returns an unmodifiable copy. */
    public static Map<String, String> requireLabels(Map<String, String> labels) {
        if (labels == null) return Map.of();
        InvalidInput.require(labels.size() <= 64, "at most 64 labels are allowed, got " + labels.size());
        labels.forEach((k, v) -> {
            if (k == null || !LABEL_KEY.matcher(k).matches()) {
                throw new InvalidInput("label key must be 1-63 characters of letters, digits, '.', '_', '/' and '-',"
                        + " got '" + Strings.printable(k) + "'");
            }
            if (v == null || !LABEL_VALUE.matcher(v).matches()) {
                throw new InvalidInput("label value for '" + k + "' must be 0-63 characters of letters, digits, '.',"
                        + " '_' and '-', got '" + Strings.printable(v) + "'");
            }
        });
        return Map.copyOf(labels);
    }

    /** Parses {@code k=v} as used on the command line. */
    public static Map.Entry<String, String> parseLabel(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        InvalidInput.require(eq > 0, "label must be written key=value, got '" + Strings.printable(text) + "'");
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }
}
