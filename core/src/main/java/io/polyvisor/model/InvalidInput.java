package io.polyvisor.model;

/**
 * Bad input from a user, with a message fit to show them as is
 * (for example {@code memory must be between 16 MiB and 4 TiB, got 0}).
 *
 * <p>Thrown only at the edge, by validating constructors and parsers; the REST layer maps it to
 * a 400 {@code application/problem+json}. Never used for bugs or I/O failures.
 */
public final class InvalidInput extends RuntimeException {
    public InvalidInput(String message) {
        super(message, null, false, false);
    }

    /** Throws {@link InvalidInput} with {@code message} unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) throw new InvalidInput(message);
    }
}
