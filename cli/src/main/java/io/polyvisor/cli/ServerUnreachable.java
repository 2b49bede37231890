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

    /** The most telling reason in the cause chain: the JDK wraps "refused" in messageless exceptions. */
    static String describe(Throwable t) {
        for (var c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.http.HttpConnectTimeoutException) return "connection timed out";
            if (c instanceof java.net.ConnectException) return "connection refused";
            if (c instanceof java.net.UnknownHostException) return "unknown host " + c.getMessage();
        }
        for (var c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) return c.getMessage();
        }
        return t.getClass().getSimpleName();
    }
}
