package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.model.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Locale;

/** {@code polyvisor bench sim}: runs {@link SimScaleBench} in this process (no server needed) and prints its figures. */
@Command(name = "sim", description = "Simulator scale and speed: build, heap, observe sweep and virtual-time migrations, "
        + "each against a baseline measured in the same run.")
public final class SimBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", defaultValue = "10000", description = "Simulated hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--vms-per-host", defaultValue = "10", description = "VMs started on each host (default ${DEFAULT-VALUE}).")
    int vmsPerHost;

    @Option(names = "--migrations", defaultValue = "1000", description = "Live migrations of 4 GiB VMs on the virtual clock (default ${DEFAULT-VALUE}).")
    int migrations;

    @Option(names = "--seed", defaultValue = "1", description = "Data centre seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        var r = SimScaleBench.run(new SimScaleBench.Settings(hosts, vmsPerHost, migrations, 4 * Sizes.GiB, seed));
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("hosts", r.hosts());
            o.put("vms", r.vms());
            o.put("baseline_map_ms", r.baselineMapMillis());
            o.put("build_ms", r.buildMillis());
            o.put("spi_calls_per_sec", Math.round(r.spiCallsPerSecond()));
            o.put("overhead_vs_map_factor", round1(r.overheadVsMap()));
            o.put("heap_bytes_per_vm", r.heapBytesPerVm());
            o.put("observe_sweep_ms", round1(r.observeSweepMillis()));
            o.put("migrations", r.migrations());
            o.put("simulated_migration_s", round1(r.simulatedMigrationSeconds()));
            o.put("migration_wall_ms", r.migrationWallMillis());
            cli.printJson(o);
            return;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "sim scale: %,d hosts, %,d VMs (seed %d)%n", r.hosts(), r.vms(), seed);
        out.printf(Locale.ROOT, "  build (define+start through the SPI)  %,8d ms  %,.0f calls/s   baseline plain maps %,d ms  -> %.1fx%n",
                r.buildMillis(), r.spiCallsPerSecond(), r.baselineMapMillis(), r.overheadVsMap());
        out.printf(Locale.ROOT, "  heap held per VM                      %,8d bytes%n", r.heapBytesPerVm());
        out.printf(Locale.ROOT, "  observe sweep (stats+list, all hosts) %,10.1f ms%n", r.observeSweepMillis());
        out.printf(Locale.ROOT, "  %,d live migrations of 4 GiB          %,8d ms wall  (%,.0f s on the virtual clock)%n",
                r.migrations(), r.migrationWallMillis(), r.simulatedMigrationSeconds());
    }

    private static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
