package io.polyvisor.bench;

import io.polyvisor.cli.*;

import io.polyvisor.bench.placement.PlacementBench;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code polyvisor bench placement}: placements per second, latency, heap and the capacity opened against the demand's
 * fluid lower bound, for Polyvisor's scheduler beside an indexed online best fit and an offline best fit decreasing.
 */
@Command(name = "placement", description = {
        "Place --vms seeded requests one by one on --hosts hosts with Polyvisor's scheduler, an indexed online best fit",
        "(throughput reference) and best fit decreasing (quality reference), same rules; print placements per second,",
        "p50/p99 latency, heap, hosts used and the cores they hold against the fluid lower bound of the demand."})
public final class BenchPlacement implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", defaultValue = "10000", description = "Hosts (default 10000).")
    int hosts;

    @Option(names = "--vms", defaultValue = "100000", description = "Placement requests (default 100000).")
    int vms;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the request mix (default 42).")
    long seed;

    @Override
    public void run() {
        Cli cli = Cli.of(spec);
        InvalidInput.require(hosts >= 1 && hosts <= 1_000_000, "--hosts must be between 1 and 1000000, got " + hosts);
        InvalidInput.require(vms >= 1 && vms <= 10_000_000, "--vms must be between 1 and 10000000, got " + vms);
        cli.err().printf("placing %d VMs on %d hosts (polyvisor, best-fit-indexed, best-fit-decreasing)...%n", vms, hosts);
        List<PlacementBench.Result> results = PlacementBench.run(hosts, vms, seed);
        PlacementBench.Result ours = results.get(0), indexed = results.get(1);
        boolean qualityMet = ours.capacityVsBound() <= 1.02;
        boolean speedMet = ours.placementsPerSec() >= indexed.placementsPerSec();
        if (cli.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "placement");
            doc.put("hosts", hosts);
            doc.put("vms", vms);
            List<Object> rs = new ArrayList<>();
            for (var r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("policy", r.policy());
                m.put("placements_per_sec", r.placementsPerSec());
                m.put("placements_per_cpu_sec", r.placementsPerCpuSec());
                m.put("p50_us", r.p50Us());
                m.put("p99_us", r.p99Us());
                m.put("heap_mb", r.heapMb());
                m.put("hosts_used", r.hostsUsed());
                m.put("cores_opened", r.coresOpened());
                m.put("capacity_vs_bound", r.capacityVsBound());
                m.put("placed", r.placed());
                m.put("runtime_s", r.seconds());
                rs.add(m);
            }
            doc.put("results", rs);
            doc.put("targets_met", Map.of("capacity_vs_bound_at_most_1_02", qualityMet,
                    "placements_per_sec_at_least_best_fit_indexed", speedMet));
            cli.printJson(doc);
            return;
        }
        var t = new Table("POLICY", "PLACEMENTS/S", "PLACEMENTS/CPU-S", "P50_US", "P99_US", "HEAP_MB", "HOSTS_USED", "CORES_OPENED",
                "VS_BOUND", "PLACED", "SECONDS");
        for (var r : results) {
            t.row(r.policy(), f("%.0f", r.placementsPerSec()), f("%.0f", r.placementsPerCpuSec()), f("%.1f", r.p50Us()),
                    f("%.1f", r.p99Us()), f("%.1f", r.heapMb()), "" + r.hostsUsed(), "" + r.coresOpened(),
                    f("%.4f", r.capacityVsBound()), "" + r.placed(), f("%.1f", r.seconds()));
        }
        cli.out().print(t.render());
        cli.out().printf(Locale.ROOT, "polyvisor opens %.4fx the demand's fluid lower bound in cores (target <= 1.02x): %s;"
                        + " %.0f placements/s against best-fit-indexed's %.0f (target: at least as many): %s%n",
                ours.capacityVsBound(), qualityMet ? "met" : "NOT met", ours.placementsPerSec(), indexed.placementsPerSec(),
                speedMet ? "met" : "NOT met");
    }

    private static String f(String fmt, double v) {
        return String.format(Locale.ROOT, fmt, v);
    }
}
