package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Locale;

/** {@code polyvisor explain placement VM}: every host's scores, or the rule that excluded it. */
@Command(name = "explain", description = "Explain a decision of the control plane.", subcommands = {ExplainCommands.Placement.class})
public final class ExplainCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "placement", description = "Where VM would be placed now: the scores of feasible hosts and why others are excluded.")
    static final class Placement implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VM", description = "VM name or UUID.")
        String vm;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode e = cli.client().get("/api/v1/vms/" + ApiClient.encode(vm) + "/placement");
            if (cli.json()) {
                cli.printJson(e);
                return;
            }
            JsonNode d = e.get("decision");
            cli.out().println(d.hasNonNull("host") ? "placement of " + e.get("vm").asText() + ": host " + d.get("host").asText()
                    : "placement of " + e.get("vm").asText() + ": rejected: " + d.path("reason").asText());
            var t = new Table("HOST", "SCORE", "SCORERS", "EXCLUDED_BY", "REASON");
            for (JsonNode h : e.get("hosts")) {
                var scores = new StringBuilder();
                h.path("scores").fields().forEachRemaining(f -> scores.append(scores.isEmpty() ? "" : " ")
                        .append(f.getKey()).append('=').append(String.format(Locale.ROOT, "%.2f", f.getValue().asDouble())));
                boolean excluded = h.hasNonNull("excluded_by");
                t.row(h.get("host").asText(), excluded ? "-" : String.format(Locale.ROOT, "%.3f", h.get("score").asDouble()),
                        scores.isEmpty() ? "-" : scores.toString(), excluded ? h.get("excluded_by").asText() : "-",
                        excluded ? h.path("reason").asText() : "-");
            }
            cli.out().print(t.render());
        }
    }
}
