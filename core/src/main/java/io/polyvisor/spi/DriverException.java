package io.polyvisor.spi;

/**
 * A driver operation failed. {@link #retryable()} tells controllers whether the same call may work
 * later (host unreachable, timeout) or never will (unknown VM, bad definition).
 */
public class DriverException extends RuntimeException {
    private final boolean retryable;

    public DriverException(String message) {
        this(message, false, null);
    }

    public DriverException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The host could not be reached; the operation may or may not have happened. */
    public static DriverException unreachable(String host, Throwable cause) {
        return new DriverException("host " + host + " is unreachable", true, cause);
    }
}
