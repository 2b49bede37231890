package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.image.ImageKit;
import io.polyvisor.image.TinyImage;
import io.polyvisor.model.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code polyvisor bench lifecycle}: real VMs, Polyvisor against plain libvirt, in one run (no server needed). */
@Command(name = "lifecycle", description = "Create->running and delete latency of real VMs through Polyvisor and through "
        + "libvirt directly, on the same host in one run, as a ratio.")
public final class LifecycleBenchCommand implements Runnable {
    /** Where the tiny guest is built when no --kernel is given: readable by QEMU and under the default image roots. */
    static final Path TINY_DIR = Path.of("/var/tmp/polyvisor/tiny");

    @Spec
    CommandSpec spec;

    @Option(names = "--host", description = "libvirt host URI (default: a libvirt host of the benchmark's own, started with "
            + "scripts/test-hosts and removed afterwards, so that no other user of the machine's libvirtd is disturbed or disturbs it).")
    URI host;

    @Option(names = "--vms", defaultValue = "8", description = "VMs per round, created and deleted in parallel (default ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, each libvirt's then Polyvisor's; figures pool all "
            + "rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "300", description = "Untimed create/delete cycles on a simulated host before "
            + "Polyvisor's rounds, so the JIT has compiled its paths (default ${DEFAULT-VALUE}; 0 = measure a cold JVM).")
    int warmup;

    @Option(names = "--kernel", description = "Guest kernel for direct boot (default: the tiny guest, built if absent).")
    Path kernel;

    @Option(names = "--initrd", description = "Guest initrd, with --kernel.")
    Path initrd;

    @Option(names = "--cmdline", defaultValue = TinyImage.CMDLINE, description = "Kernel command line (default ${DEFAULT-VALUE}).")
    String cmdline;

    @Override
    public void run() {
        InvalidInput.require(vms >= 1 && vms <= 64, "vms must be between 1 and 64, got " + vms);
        InvalidInput.require(kernel != null || initrd == null, "--initrd needs --kernel");
        var cli = Cli.of(spec);
        TinyImage image = kernel != null
                ? new TinyImage(kernel.toAbsolutePath(), initrd == null ? null : initrd.toAbsolutePath(), cmdline, false)
                : new ImageKit(ImageKit.defaultCache()).ensureTiny(TINY_DIR);
        InvalidInput.require(warmup >= 0 && warmup <= 100_000, "warmup must be between 0 and 100000, got " + warmup);
        InvalidInput.require(rounds >= 1 && rounds <= 100, "rounds must be between 1 and 100, got " + rounds);
        var r = host != null ? LifecycleBench.run(host, vms, image, warmup, rounds)
                : LifecycleBench.runOnOwnHost(vms, image, warmup, rounds);
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("host", r.host().toString());
            o.put("vms", r.vms());
            o.put("rounds", rounds);
            o.put("warmup_cycles", warmup);
            o.put("polyvisor", system(r.polyvisor()));
            o.put("libvirt", system(r.libvirt()));
            o.put("ratio", Map.of("create_to_running", round(r.createRatio()), "delete", round(r.deleteRatio())));
            cli.printJson(o);
            return;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "bench lifecycle: %d VMs in parallel on %s, kernel %s, %d rounds%n", r.vms(), r.host(), image.kernel(), rounds);
        out.printf(Locale.ROOT, "                      create->running (s)         delete (s)%n");
        out.printf(Locale.ROOT, "                      median   p95    round        median   p95    round%n");
        row(out, "libvirt directly", r.libvirt());
        row(out, "polyvisor", r.polyvisor());
        out.printf(Locale.ROOT, "  ratio polyvisor/libvirt (median)  %.2fx                   %.2fx%n", r.createRatio(), r.deleteRatio());
    }

    private static void row(java.io.PrintStream out, String label, LifecycleBench.System s) {
        out.printf(Locale.ROOT, "  %-18s  %6.3f  %6.3f  %6.3f       %6.3f  %6.3f  %6.3f%n", label,
                s.create().medianSeconds(), s.create().p95Seconds(), s.create().wallSeconds(),
                s.delete().medianSeconds(), s.delete().p95Seconds(), s.delete().wallSeconds());
    }

    private static Map<String, Object> system(LifecycleBench.System s) {
        var o = new LinkedHashMap<String, Object>();
        o.put("create_to_running_s", round(s.create().medianSeconds()));
        o.put("create_to_running_p95_s", round(s.create().p95Seconds()));
        o.put("create_round_s", round(s.create().wallSeconds()));
        o.put("delete_s", round(s.delete().medianSeconds()));
        o.put("delete_p95_s", round(s.delete().p95Seconds()));
        o.put("delete_round_s", round(s.delete().wallSeconds()));
        return o;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
