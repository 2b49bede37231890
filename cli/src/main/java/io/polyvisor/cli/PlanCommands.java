package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@code polyvisor plan balance [--mode M] [--apply]}: the balancer's plan, each move with its reason. */
@Command(name = "plan", description = "Preview (and optionally apply) what a controller would do.",
        subcommands = {PlanCommands.Balance.class})
public final class PlanCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    @Command(name = "balance", description = "Show the balancer's plan: live migrations with the reason for each, hosts to power down.")
    static final class Balance implements Runnable {
        enum Mode { balance, consolidate }

        @Spec
        CommandSpec spec;

        @Option(names = "--mode", description = "balance or consolidate (default: the configured mode).")
        Mode mode;

        @Option(names = "--apply", description = "Queue the plan's moves as migrate tasks now.")
        boolean apply;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode plan;
            if (apply) {
                Map<String, Object> body = new HashMap<>();
                if (mode != null) body.put("mode", mode.name());
                plan = cli.client().post("/api/v1/plans/balance/apply", body);
            } else {
                plan = cli.client().get("/api/v1/plans/balance" + (mode == null ? "" : "?mode=" + mode.name()));
            }
            if (cli.json()) {
                cli.printJson(plan);
                return;
            }
            var t = new Table("VM", "FROM", "TO", "KIND", "COST_S", apply ? "TASK" : "REASON");
            for (JsonNode m : plan.get("moves")) {
                t.row(m.get("vm").asText(), m.get("from").asText(), m.get("to").asText(), m.get("kind").asText(),
                        String.format(Locale.ROOT, "%.1f", m.get("cost_seconds").asDouble()),
                        apply ? (m.hasNonNull("task") ? m.get("task").asText() : "refused: " + m.path("refused").asText()) : m.get("reason").asText());
            }
            var out = cli.out();
            out.printf(Locale.ROOT, "%s plan: %d move(s); imbalance %.3f -> %.3f%n", plan.get("mode").asText(), plan.get("moves").size(),
                    plan.get("imbalance_before").asDouble(), plan.get("imbalance_after").asDouble());
            if (plan.get("moves").size() > 0) out.print(t.render());
            if (plan.get("power_down").size() > 0) out.println("power down after the moves: " + join(plan.get("power_down")));
            for (JsonNode n : plan.get("notes")) out.println("note: " + n.asText());
        }

        private static String join(JsonNode arr) {
            var b = new StringBuilder();
            for (JsonNode n : arr) b.append(b.isEmpty() ? "" : ", ").append(n.asText());
            return b.toString();
        }
    }
}
