package io.polyvisor.cli;

/**
 * A failure the CLI reports as one {@code error: MESSAGE} line (plus an optional hint) and an exit code,
 * never as a stack trace.
 */
public abstract sealed class CliError extends RuntimeException permits ApiError, ServerUnreachable, TaskFailed {
    CliError(String message) {
        super(message, null, false, false);
    }

    /** The process exit code, one of {@link Main#FAILED}, {@link Main#USAGE}, {@link Main#UNREACHABLE}. */
    public abstract int exitCode();

    /** A second line telling the user what to do next, or null. */
    public String hint() {
        return null;
    }
}
