package io.polyvisor.access;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a user's token works: {@code N} and a unit, {@code s}, {@code m}, {@code h} or {@code d} ({@code 90d}). */
public final class Expiry {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})([smhd])");
    /** Ten years: longer than that is "never", which is said by giving no expiry at all. */
    public static final Duration MAX = Duration.ofDays(3650);

    private Expiry() {}

    public static Duration parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new InvalidInput("expires must be a duration such as 30m, 12h or 90d, got '" + Strings.printable(text) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        InvalidInput.require(!d.isZero() && d.compareTo(MAX) <= 0, "expires must be between 1s and 3650d, got " + text.strip());
        return d;
    }
}
