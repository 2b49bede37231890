package io.polyvisor.cli;

/** How a command prints its result: aligned columns for people, JSON (the server's own shapes) for scripts. */
public enum OutputFormat {
    table,
    json
}
