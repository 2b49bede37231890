package io.polyvisor.cli;

import io.polyvisor.server.RunningServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process against a running server, with its URL and admin token, as a user would. */
final class ServerCli {
    private ServerCli() {}

    /** {@code polyvisor ARGS --url URL} with {@code POLYVISOR_TOKEN} set to the server's admin token. */
    static CliRun run(RunningServer server, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", server.url().toString()));
        return CliRun.of(Map.of("POLYVISOR_TOKEN", server.token()), all.toArray(String[]::new));
    }
}
