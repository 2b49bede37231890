package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.image.ImageKit;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code polyvisor bench storage}: linked clones, boot from disk and block migration, Polyvisor beside qemu-img and libvirt. */
@Command(name = "storage", description = "Linked clones, boot from disk and block live migration of real tiny guests, through "
        + "Polyvisor and directly (qemu-img, libvirt) on two libvirt hosts of the benchmark's own, in one run, as ratios.")
public final class StorageBenchCommand implements Runnable {
    /** Target of issue 11 for each ratio. */
    static final double TARGET = 1.15;
    /** Where the tiny guest's disk is built: readable by QEMU and under the image import roots. */
    static final Path TINY_DISK_DIR = Path.of("/var/tmp/polyvisor/tiny-disk");

    @Spec
    CommandSpec spec;

    @Option(names = "--clones", defaultValue = "10", description = "Linked clones per round, one at a time and then in parallel "
            + "(default ${DEFAULT-VALUE}).")
    int clones;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds after one untimed warm-up round (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public void run() {
        InvalidInput.require(clones >= 1 && clones <= 50, "clones must be between 1 and 50, got " + clones);
        InvalidInput.require(rounds >= 1 && rounds <= 20, "rounds must be between 1 and 20, got " + rounds);
        var cli = Cli.of(spec);
        var tiny = new ImageKit(ImageKit.defaultCache()).ensureTinyDisk(TINY_DISK_DIR);
        var r = StorageBench.runOnOwnFleet(tiny, clones, rounds);
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("hosts", r.hosts());
            o.put("rounds", r.rounds());
            o.put("clones_per_round", r.clones());
            o.put("direct", Map.of("clone_s", figures(r.linkedClone().direct()), "boot_from_disk_s", figures(r.boot().direct()),
                    "block_migration_s", figures(r.migration().direct()), "clones_per_sec", round(r.directClonesPerSec())));
            o.put("polyvisor", Map.of("clone_s", figures(r.linkedClone().polyvisor()), "boot_from_disk_s", figures(r.boot().polyvisor()),
                    "block_migration_s", figures(r.migration().polyvisor()), "clones_per_sec", round(r.polyvisorClonesPerSec())));
            o.put("clone_ratio", round(r.linkedClone().ratio()));
            o.put("boot_from_disk_ratio", round(r.boot().ratio()));
            o.put("block_migration_ratio", round(r.migration().ratio()));
            o.put("clones_per_sec", round(r.polyvisorClonesPerSec()));
            o.put("target_ratio", TARGET);
            o.put("targets_met", Map.of("clone_ratio", r.linkedClone().ratio() <= TARGET, "boot_from_disk_ratio", r.boot().ratio() <= TARGET,
                    "block_migration_ratio", r.migration().ratio() <= TARGET));
            cli.printJson(o);
            return;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "bench storage: %d rounds, %d linked clones per round, hosts %s%n", r.rounds(), r.clones(), r.hosts());
        out.printf(Locale.ROOT, "                          direct median/p95 (s)   polyvisor median/p95 (s)   ratio   target %.2f%n", TARGET);
        row(out, "linked clone", r.linkedClone());
        row(out, "boot from disk", r.boot());
        row(out, "block migration", r.migration());
        out.printf(Locale.ROOT, "  linked clones/s (%d in parallel): direct %.2f, polyvisor %.2f%n", r.clones(), r.directClonesPerSec(),
                r.polyvisorClonesPerSec());
    }

    private static void row(java.io.PrintStream out, String label, StorageBench.Pair p) {
        out.printf(Locale.ROOT, "  %-22s  %7.3f / %7.3f       %7.3f / %7.3f         %5.2fx  %s%n", label, p.direct().medianSeconds(),
                p.direct().p95Seconds(), p.polyvisor().medianSeconds(), p.polyvisor().p95Seconds(), p.ratio(),
                p.ratio() <= TARGET ? "met" : "NOT met");
    }

    private static Map<String, Object> figures(StorageBench.Figures f) {
        var o = new LinkedHashMap<String, Object>();
        o.put("median", round(f.medianSeconds()));
        o.put("p95", round(f.p95Seconds()));
        if (f.samples().size() <= 20) o.put("samples", f.samples().stream().map(StorageBenchCommand::round).toList());
        return o;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
