package io.polyvisor.cli;

import java.net.URI;

/** The server could not be reached at all (refused, timed out, not HTTP). Exit code 3. */
public final class ServerUnreachable extends CliError {
    ServerUnreachable(URI url, Throwable cause) {
        super("cannot reach the Polyvisor server at " + url + ": " + describe(cause));
    }

    @Override
    public int exitCode() {
        return Main.UNREACHABLE;
    }

    @Override
    public String hint() {
        return "start it with 'polyvisor server', or point --url / POLYVISOR_URL at it";
    }

    private static String describe(Throwable t) {
        var root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        var msg = root.getMessage();
        var name = root.getClass().getSimpleName();
        if (name.equals("ConnectException") && (msg == null || msg.isBlank())) return "connection refused";
        return msg == null || msg.isBlank() ? name : msg;
    }
}
