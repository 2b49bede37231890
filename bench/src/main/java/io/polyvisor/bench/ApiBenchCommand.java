package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code polyvisor bench api}: the control plane's latency and throughput over REST vs driver and HTTP baselines. */
@Command(name = "api", description = "Control plane over REST on the simulator (create/get/list/delete) vs the driver called "
        + "directly and vs GET /healthz, measured in the same run. Starts its own server; needs none. JSON: creates_per_sec "
        + "(create until running) and creates_per_sec_bound (clients / the driver's median define + start time, same run).")
public final class ApiBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vms", defaultValue = "200", description = "VMs per workload (default ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hosts", defaultValue = "4", description = "Simulated hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--warmup", defaultValue = "500", description = "Untimed create/delete cycles before the workloads, so the "
            + "server's JIT has compiled them (default ${DEFAULT-VALUE}; 0 = measure a cold JVM).")
    int warmup;

    @Option(names = "--db", description = "Run the server on this PostgreSQL database (jdbc:postgresql://...), in a scratch "
            + "schema dropped afterwards (default: embedded H2 in a temporary folder).")
    String db;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (default: $POLYVISOR_DB_PASSWORD).")
    String dbPassword;

    @Override
    public Integer call() throws Exception {
        InvalidInput.require(vms >= 1 && vms <= 100_000, "vms must be between 1 and 100000, got " + vms);
        InvalidInput.require(concurrency >= 1 && concurrency <= 256, "concurrency must be between 1 and 256, got " + concurrency);
        InvalidInput.require(hosts >= 1 && hosts <= 1000, "hosts must be between 1 and 1000, got " + hosts);
        var cli = Cli.of(spec);
        InvalidInput.require(warmup >= 0 && warmup <= 100_000, "warmup must be between 0 and 100000, got " + warmup);
        List<ApiBench.Result> results = ApiBench.run(new ApiBench.Settings(vms, concurrency, hosts, warmup, db, dbUser,
                dbPassword != null ? dbPassword : System.getenv("POLYVISOR_DB_PASSWORD")));
        Map<String, ApiBench.Result> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.workload(), r));
        double bound = ApiBench.createsBound(byName.get(ApiBench.DRIVER_CREATE));
        if (cli.json()) {
            var rows = results.stream().map(r -> {
                var o = new LinkedHashMap<String, Object>();
                o.put("workload", r.workload());
                o.put("description", r.description());
                o.put("ops", r.ops());
                o.put("concurrency", r.concurrency());
                o.put("elapsed_s", round(r.seconds()));
                o.put("ops_per_s", round(r.opsPerSecond()));
                o.put("p50_ms", round(r.p50Millis()));
                o.put("p99_ms", round(r.p99Millis()));
                o.put("cpu_ms_per_op", round(r.cpuMillisPerOp()));
                o.put("baseline", r.baseline());
                o.put("p50_vs_baseline_ratio", r.baseline() == null ? null : round(r.p50Millis() / byName.get(r.baseline()).p50Millis()));
                return o;
            }).toList();
            var top = new LinkedHashMap<String, Object>();
            top.put("creates_per_sec", round(byName.get(ApiBench.CREATE).opsPerSecond()));
            top.put("creates_per_sec_bound", round(bound));
            top.put("creates_vs_bound_ratio", round(byName.get(ApiBench.CREATE).opsPerSecond() / bound));
            // CPU per create (this process: server, sim hosts, clients) and the rate this machine's cores would allow
            double cpuPerCreate = byName.get(ApiBench.CREATE).cpuMillisPerOp();
            top.put("create_cpu_ms", round(cpuPerCreate));
            top.put("creates_per_sec_cpu_bound", round(Runtime.getRuntime().availableProcessors() * 1000 / cpuPerCreate));
            top.put("warmup_cycles", warmup);
            top.put("results", rows);
            cli.printJson(top);
            return 0;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "%-24s %6s %5s %9s %9s %9s  %s%n", "WORKLOAD", "OPS", "CONC", "OPS/S", "P50 MS", "P99 MS", "P50 VS BASELINE");
        for (var r : results) {
            String vs = r.baseline() == null ? "(baseline)"
                    : String.format(Locale.ROOT, "%.2fx %s", r.p50Millis() / byName.get(r.baseline()).p50Millis(), r.baseline());
            out.printf(Locale.ROOT, "%-24s %6d %5d %9.1f %9.2f %9.2f  %s%n", r.workload(), r.ops(), r.concurrency(),
                    r.opsPerSecond(), r.p50Millis(), r.p99Millis(), vs);
        }
        out.printf(Locale.ROOT, "creates until running: %.1f/s; bound %.1f/s (%d clients / driver define+start median %.2f ms)%n",
                byName.get(ApiBench.CREATE).opsPerSecond(), bound, Math.min(concurrency, vms),
                byName.get(ApiBench.DRIVER_CREATE).p50Millis());
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
