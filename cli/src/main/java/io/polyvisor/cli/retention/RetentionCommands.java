package io.polyvisor.cli.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;

/**
 * {@code polyvisor retention show|set|prune}: how long events and finished tasks are kept (docs/API.md#retention),
 * through {@code /api/v1/retention}. The server validates the values and answers the exact reason for a bad one.
 */
@Command(name = "retention", description = "How long events and finished tasks are kept: show, set, prune now.",
        subcommands = {RetentionCommands.Show.class, RetentionCommands.Set.class, RetentionCommands.Prune.class})
public final class RetentionCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Cli.of(spec).out());
    }

    static Table settings(JsonNode s) {
        var t = new Table("KEPT", "MAX AGE", "MAX COUNT");
        t.row("events", s.path("events_max_age_hours").asText() + " h", s.path("events_max_count").asText());
        t.row("finished tasks", s.path("tasks_max_age_hours").asText() + " h", s.path("tasks_max_count").asText());
        t.row("audit entries", s.path("audit_max_age_days").asText() + " d", s.path("audit_max_count").asText());
        return t;
    }

    @Command(name = "show", description = "Show the retention settings.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode s = cli.client().get("/api/v1/retention");
            cli.print(s, settings(s));
        }
    }

    @Command(name = "set", description = "Change retention settings; those left out keep their value.")
    static final class Set implements Runnable {
        @Spec
        CommandSpec spec;
        @Option(names = "--events-max-age-hours", paramLabel = "H", description = "Events older than this are removed (1-87600).")
        Integer eventsMaxAgeHours;
        @Option(names = "--events-max-count", paramLabel = "N", description = "At most this many events are kept (1000-100000000).")
        Long eventsMaxCount;
        @Option(names = "--tasks-max-age-hours", paramLabel = "H", description = "Finished tasks older than this are removed (1-87600).")
        Integer tasksMaxAgeHours;
        @Option(names = "--tasks-max-count", paramLabel = "N", description = "At most this many finished tasks are kept (100-10000000).")
        Integer tasksMaxCount;
        @Option(names = "--audit-max-age-days", paramLabel = "D", description = "Audit entries older than this are removed (1-3650).")
        Integer auditMaxAgeDays;
        @Option(names = "--audit-max-count", paramLabel = "N", description = "At most this many audit entries are kept (1000-100000000).")
        Long auditMaxCount;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            var body = new LinkedHashMap<String, Object>();
            if (eventsMaxAgeHours != null) body.put("events_max_age_hours", eventsMaxAgeHours);
            if (eventsMaxCount != null) body.put("events_max_count", eventsMaxCount);
            if (tasksMaxAgeHours != null) body.put("tasks_max_age_hours", tasksMaxAgeHours);
            if (tasksMaxCount != null) body.put("tasks_max_count", tasksMaxCount);
            if (auditMaxAgeDays != null) body.put("audit_max_age_days", auditMaxAgeDays);
            if (auditMaxCount != null) body.put("audit_max_count", auditMaxCount);
            JsonNode s = cli.client().post("/api/v1/retention", body);
            cli.print(s, settings(s));
        }
    }

    @Command(name = "prune", description = "Run a retention pass now and show what it removed.")
    static final class Prune implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var cli = Cli.of(spec);
            JsonNode r = cli.client().post("/api/v1/retention/prune", java.util.Map.of());
            var t = new Table("EVENTS REMOVED", "TASKS REMOVED", "AUDIT ENTRIES REMOVED", "EVENTS PRUNED THROUGH SEQ");
            t.row(r.path("events").asText(), r.path("tasks").asText(), r.path("audit_entries").asText(), r.path("events_pruned_through").asText());
            cli.print(r, t);
        }
    }
}
