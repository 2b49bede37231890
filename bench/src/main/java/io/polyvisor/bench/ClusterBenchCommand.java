package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Table;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code polyvisor bench cluster}: three {@code polyvisor server} processes on one PostgreSQL (a scratch schema,
 * dropped after) sharing a simulated data centre; takeover, leader failover, reconcile and double actions (docs/CLUSTER.md).
 * The 10,000 hosts and 100,000 VMs do not fit this 2-core machine (each server probes each of its hosts every
 * 100 ms over HTTP on a thread of its own): the defaults are 60 hosts and 600 VMs.
 */
@Command(name = "cluster", description = "Three servers on one PostgreSQL: takeover, leader failover, reconcile, double actions.")
final class ClusterBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", defaultValue = "jdbc:postgresql://127.0.0.1:5432/polyvisor_test",
            description = "PostgreSQL database (a scratch schema is made and dropped; default: ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (default: $POLYVISOR_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--hosts", defaultValue = "60", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--vms", defaultValue = "600", description = "VMs (default: ${DEFAULT-VALUE}).")
    int vms;

    @Override
    public Integer call() throws Exception {
        var cli = Cli.of(spec);
        InvalidInput.require(hosts >= 3 && hosts <= 10_000, "hosts must be between 3 and 10000, got " + hosts);
        InvalidInput.require(vms >= 2 && vms <= 100_000, "vms must be between 2 and 100000, got " + vms);
        InvalidInput.require(db.startsWith("jdbc:postgresql://"), "--db must be a jdbc:postgresql:// URL, got '" + db + "'");
        String password = dbPassword != null ? dbPassword : cli.env().getOrDefault("POLYVISOR_DB_PASSWORD", "");
        String schema = "polyvisor_bench_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        sql(password, "CREATE SCHEMA " + schema);
        var dir = Files.createTempDirectory("polyvisor-bench-cluster-");
        var rig = new ClusterRig(dir, db + (db.contains("?") ? "&" : "?") + "currentSchema=" + schema, dbUser, password);
        ClusterBench.Result r;
        try {
            r = new ClusterBench(rig, hosts, vms).run();
        } finally {
            rig.close();
            sql(password, "DROP SCHEMA " + schema + " CASCADE");
        }
        var json = Cli.JSON.createObjectNode().put("servers", 3).put("hosts", r.hosts()).put("vms", r.vms())
                .put("takeover_s", round(r.takeoverS())).put("hosts_taken_over", r.hostsTakenOver())
                .put("leader_failover_s", round(r.leaderFailoverS())).put("bound_s", 5.0)
                .put("double_actions", r.doubleActions())
                .put("reconcile_p50_s", round(r.reconcileP50S())).put("reconcile_p99_s", round(r.reconcileP99S()))
                .put("reconcile_samples", r.reconcileSamples())
                .put("create_one_server_p50_ms", round(r.createOneP50Ms())).put("create_one_server_p99_ms", round(r.createOneP99Ms()))
                .put("create_three_servers_p50_ms", round(r.createThreeP50Ms())).put("create_three_servers_p99_ms", round(r.createThreeP99Ms()));
        var ev = r.events();
        json.put("event_delay_p50_ms", round(ClusterBench.pct(ev.streamMs(), 50))).put("event_delay_p99_ms", round(ClusterBench.pct(ev.streamMs(), 99)))
                .put("event_delay_poll200_p50_ms", round(ClusterBench.pct(ev.pollMs(), 50)))
                .put("event_delay_poll200_p99_ms", round(ClusterBench.pct(ev.pollMs(), 99)))
                .put("event_samples", ev.streamMs().size());
        var t = new Table("FIGURE", "VALUE", "BASELINE");
        t.row("event delay, server to server (SSE)", "p50 " + round(ClusterBench.pct(ev.streamMs(), 50)) + " ms, p99 "
                + round(ClusterBench.pct(ev.streamMs(), 99)) + " ms", "200 ms table poll: p50 " + round(ClusterBench.pct(ev.pollMs(), 50))
                + " ms, p99 " + round(ClusterBench.pct(ev.pollMs(), 99)) + " ms");
        t.row("takeover (kill -9 of a member)", round(r.takeoverS()) + " s (" + r.hostsTakenOver() + " hosts)", "bound 5 s");
        t.row("leader failover (kill -9)", round(r.leaderFailoverS()) + " s", "bound 5 s");
        t.row("reconcile (reboot asked at the kill)", "p50 " + round(r.reconcileP50S()) + " s, p99 " + round(r.reconcileP99S()) + " s", r.reconcileSamples() + " VMs");
        t.row("double actions", String.valueOf(r.doubleActions()), "must be 0");
        t.row("create through three servers", "p50 " + round(r.createThreeP50Ms()) + " ms, p99 " + round(r.createThreeP99Ms()) + " ms",
                "one server: p50 " + round(r.createOneP50Ms()) + " ms, p99 " + round(r.createOneP99Ms()) + " ms");
        cli.print(json, t);
        return r.doubleActions() == 0 ? 0 : 1;
    }

    private void sql(String password, String statement) throws java.sql.SQLException {
        try (var c = DriverManager.getConnection(db, dbUser, password)) {
            c.createStatement().execute(statement);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
