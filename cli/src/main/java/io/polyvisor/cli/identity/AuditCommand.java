package io.polyvisor.cli.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.ApiClient;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code polyvisor audit}: the journal of state-changing API requests, with their actors (admins only). */
@Command(name = "audit", description = "Show the audit journal: every state-changing request, who made it, how it ended.")
public final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;
    @Option(names = "--actor", paramLabel = "NAME", description = "Only this actor's requests (admin: the data folder's token).")
    String actor;
    @Option(names = "--after", paramLabel = "SEQ", description = "Only entries after this seq.")
    Long after;
    @Option(names = "--newest", description = "The newest entries (--limit of them, oldest first) instead of the oldest after --after.")
    boolean newest;
    @Option(names = "--limit", paramLabel = "N", description = "At most this many, oldest first (1-1000, default 100).")
    int limit = 100;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        if (newest && after != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--newest and --after cannot be combined");
        JsonNode entries = cli.client().get("/api/v1/audit?limit=" + limit + (newest ? "&newest=true" : "&after=" + (after == null ? 0 : after))
                + (actor == null ? "" : "&actor=" + ApiClient.encode(actor)));
        var t = new Table("SEQ", "AT", "ACTOR", "ROLE", "REQUEST", "STATUS");
        for (JsonNode e : entries) {
            t.row(e.path("seq").asText(), e.path("at").asText(), e.path("actor").asText(), Table.text(e.path("role")),
                    e.path("method").asText() + " " + e.path("path").asText(), e.path("status").asText());
        }
        cli.print(entries, t);
    }
}
