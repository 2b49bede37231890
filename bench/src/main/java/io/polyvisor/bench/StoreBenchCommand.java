package io.polyvisor.bench;

import io.polyvisor.cli.*;

import com.fasterxml.jackson.databind.node.ObjectNode;


import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code polyvisor bench store}: the store's paths against a raw-JDBC baseline, on an embedded H2 in a temporary
 * folder and, with {@code --db}, on PostgreSQL in a scratch schema that is dropped afterwards. Needs no server.
 */
@Command(name = "store", description = "Measure the store (H2, and PostgreSQL with --db) against a raw JDBC insert baseline.")
final class StoreBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", description = "Also measure this PostgreSQL database (jdbc:postgresql://...), in a scratch schema.")
    String db;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (default: $POLYVISOR_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--ops", defaultValue = "2000", description = "Operations per workload (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--threads", defaultValue = "4", description = "Threads per workload (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        var cli = Cli.of(spec);
        if (threads < 1 || threads > 64) throw new io.polyvisor.model.InvalidInput("threads must be between 1 and 64, got " + threads);
        if (ops < threads || ops > 1_000_000) {
            throw new io.polyvisor.model.InvalidInput("ops must be between the thread count and 1000000, got " + ops);
        }
        var runs = new ArrayList<Run>();
        try (var h2 = BenchDatabase.embedded()) {
            runs.add(new Run(h2.label(), new StoreBench(h2.target(), ops, threads).run()));
        }
        if (db != null) {
            String password = dbPassword != null ? dbPassword : cli.env().getOrDefault("POLYVISOR_DB_PASSWORD", "");
            try (var pg = BenchDatabase.postgres(db, dbUser, password)) {
                runs.add(new Run(pg.label(), new StoreBench(pg.target(), ops, threads).run()));
            }
        }
        cli.print(json(runs), table(runs));
        return 0;
    }

    record Run(String database, List<StoreBench.Result> results) {}

    static ObjectNode json(List<Run> runs) {
        var root = Cli.JSON.createObjectNode();
        var arr = root.putArray("runs");
        for (Run run : runs) {
            double base = run.results().getFirst().p50Millis();
            var o = arr.addObject().put("database", run.database());
            var rs = o.putArray("results");
            for (var r : run.results()) {
                rs.addObject().put("workload", r.workload()).put("description", r.description())
                        .put("threads", r.threads()).put("ops", r.ops()).put("elapsed_s", round(r.seconds()))
                        .put("ops_per_s", round(r.opsPerSecond())).put("p50_ms", round(r.p50Millis()))
                        .put("p99_ms", round(r.p99Millis())).put("p50_vs_baseline_ratio", round(r.p50Millis() / base));
            }
        }
        return root;
    }

    static Table table(List<Run> runs) {
        var t = new Table("DATABASE", "WORKLOAD", "THREADS", "OPS", "OPS/S", "P50 MS", "P99 MS", "P50 VS BASELINE");
        for (Run run : runs) {
            double base = run.results().getFirst().p50Millis();
            for (var r : run.results()) {
                t.row(run.database(), r.workload(), Integer.toString(r.threads()), Integer.toString(r.ops()),
                        fmt("%.0f", r.opsPerSecond()), fmt("%.3f", r.p50Millis()), fmt("%.3f", r.p99Millis()),
                        fmt("%.2fx", r.p50Millis() / base));
            }
        }
        return t;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
