package io.polyvisor.cli;

/** A task the CLI waited for ended failed or cancelled, or the wait timed out. Exit code 1. */
public final class TaskFailed extends CliError {
    private final String hint;

    TaskFailed(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    @Override
    public int exitCode() {
        return Main.FAILED;
    }

    @Override
    public String hint() {
        return hint;
    }
}
