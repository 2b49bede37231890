package io.polyvisor.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after the subcommand name. Resolved against the environment in {@link Cli}. */
final class GlobalOptions {
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Server URL (default: $POLYVISOR_URL, else http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token (default: $POLYVISOR_TOKEN, else the contents of ./data/admin.token).")
    String token;

    @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Trust an https server by this PEM certificate (default: $POLYVISOR_CA, else ./data/tls/cert.pem if present, else the JDK's trust store).")
    String ca;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
    OutputFormat output = OutputFormat.table;
}
