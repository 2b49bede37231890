package io.polyvisor.bench.network;

import io.polyvisor.cli.Cli;
import io.polyvisor.image.ImageKit;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code polyvisor bench network}: VXLAN between hosts against one host's bridge, and convergence after live migration. */
@Command(name = "network", description = "Two tiny guests on two libvirt hosts of the bench's own (each host in its own network "
        + "namespace): throughput and latency over VXLAN against the same guests on one host's bridge, measured from inside "
        + "the guests in one run, and the outage a peer sees during a live migration against the migration's downtime.")
public final class NetworkBenchCommand implements Runnable {
    static final double THROUGHPUT_TARGET = 0.8;
    static final double CONVERGENCE_SLACK_S = 0.1;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (each: VXLAN, migration to one host, bridge, migration back; "
            + "default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--blob", defaultValue = "16", description = "MiB a downloads from b per throughput sample (default ${DEFAULT-VALUE}).")
    int blobMib;

    @Override
    public void run() {
        InvalidInput.require(rounds >= 1 && rounds <= 20, "rounds must be between 1 and 20, got " + rounds);
        InvalidInput.require(blobMib >= 1 && blobMib <= 24, "blob must be between 1 and 24 MiB (it is kept in the 128 MiB guest's memory), got " + blobMib);
        var cli = Cli.of(spec);
        var image = new ImageKit(ImageKit.defaultCache()).ensureTiny(Path.of("/var/tmp/polyvisor/tiny-" + ImageKit.KIT_VERSION));
        var base = Path.of("/var/tmp/polyvisor-bench-network-" + ProcessHandle.current().pid());
        var r = NetworkBench.run(base, image, rounds, blobMib, line -> System.err.println("bench network: " + line));
        boolean throughputMet = r.throughputRatio() >= THROUGHPUT_TARGET;
        boolean convergenceMet = r.convergenceSeconds() <= r.downtimeSeconds() + CONVERGENCE_SLACK_S;
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("rounds", rounds);
            o.put("blob_mib", blobMib);
            o.put("downloads_per_sample", NetworkBench.DOWNLOADS);
            o.put("throughput_ratio", round(r.throughputRatio()));
            o.put("latency_ratio", round(r.latencyRatio()));
            o.put("convergence_s", round(r.convergenceSeconds()));
            o.put("downtime_s", round(r.downtimeSeconds()));
            o.put("vxlan", path(r.vxlan()));
            o.put("bridge", path(r.bridge()));
            o.put("migrations", r.migrations().stream().map(NetworkBenchCommand::migration).toList());
            o.put("targets", Map.of("throughput_ratio_at_least_0_8", throughputMet, "convergence_within_downtime_plus_0_1_s", convergenceMet));
            cli.printJson(o);
            return;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "bench network: %d rounds; per placement and round the fastest of %d downloads of %d MiB and the median of 20 pings, from inside guest a%n",
                rounds, NetworkBench.DOWNLOADS, blobMib);
        out.printf(Locale.ROOT, "  vxlan (a on h1, b on h2)   %7.1f Mbit/s  rtt %.3f ms (medians)%n",
                NetworkBench.Result.median(r.vxlan(), NetworkBench.PathSample::megabitsPerSecond), NetworkBench.Result.median(r.vxlan(), NetworkBench.PathSample::rttMillis));
        out.printf(Locale.ROOT, "  bridge (both on h1)        %7.1f Mbit/s  rtt %.3f ms (medians)%n",
                NetworkBench.Result.median(r.bridge(), NetworkBench.PathSample::megabitsPerSecond), NetworkBench.Result.median(r.bridge(), NetworkBench.PathSample::rttMillis));
        out.printf(Locale.ROOT, "  throughput ratio %.3f (target >= %.1f: %s), latency ratio %.3f%n", r.throughputRatio(), THROUGHPUT_TARGET,
                throughputMet ? "met" : "NOT met", r.latencyRatio());
        for (var m : r.migrations()) {
            out.printf(Locale.ROOT, "  migration %s->%s: downtime %d ms, total %d ms, a saw no answer for %.3f s (probe every %.1f ms)%n",
                    m.from(), m.to(), m.downtimeMillis(), m.totalMillis(), m.outageSeconds(), m.probeIntervalSeconds() * 1000);
        }
        out.printf(Locale.ROOT, "  convergence %.3f s against downtime %.3f s (medians; target <= downtime + %.1f s: %s)%n",
                r.convergenceSeconds(), r.downtimeSeconds(), CONVERGENCE_SLACK_S, convergenceMet ? "met" : "NOT met");
    }

    private static List<Map<String, Object>> path(List<NetworkBench.PathSample> samples) {
        return samples.stream().map(s -> Map.<String, Object>of("mbit_s", round(s.megabitsPerSecond()), "rtt_ms", round(s.rttMillis()))).toList();
    }

    private static Map<String, Object> migration(NetworkBench.Migration m) {
        var o = new LinkedHashMap<String, Object>();
        o.put("from", m.from());
        o.put("to", m.to());
        o.put("downtime_s", m.downtimeMillis() / 1000.0);
        o.put("total_s", m.totalMillis() / 1000.0);
        o.put("outage_s", round(m.outageSeconds()));
        o.put("probe_interval_s", round(m.probeIntervalSeconds()));
        return o;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
