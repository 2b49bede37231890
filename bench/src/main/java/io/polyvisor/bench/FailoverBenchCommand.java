package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * {@code polyvisor bench failover}: a real host failure on real QEMU guests ({@link FailoverScenario}); needs root,
 * libvirt and QEMU (scripts/libvirt-up) and runs from the repository (it uses scripts/test-hosts).
 */
@Command(name = "failover", description = "Kill a real libvirt host running protected tiny QEMU guests; time detection, "
        + "hot-standby rollover and restart against the guest boot time measured in the same run.")
public final class FailoverBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var cli = Cli.of(spec);
        FailoverScenario.Result r;
        java.nio.file.Path work;
        try {
            work = FailoverScenario.tempWork();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            r = FailoverScenario.run(work);
        } finally {
            deleteQuietly(work);
        }
        boolean detectMet = r.detectS() <= DETECT_TARGET_S;
        boolean rolloverMet = r.standbyRolloverS() - r.detectS() <= ROLLOVER_TARGET_S;
        boolean restartMet = r.restartS() <= r.detectS() + r.bootS() + RESTART_TARGET_S;
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("detect_s", r.detectS());
            o.put("standby_rollover_s", r.standbyRolloverS());
            o.put("restart_s", r.restartS());
            o.put("guest_boot_s", r.bootS());
            o.put("rollover_after_detect_s", round(r.standbyRolloverS() - r.detectS()));
            o.put("restart_over_detect_plus_boot_s", round(r.restartS() - r.detectS() - r.bootS()));
            o.put("targets_met", java.util.Map.of("detect", detectMet, "rollover", rolloverMet, "restart", restartMet));
            o.put("fence", r.fenceMethod());
            cli.printJson(o);
            return;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "failover of a real libvirt host (daemon and QEMU killed), 3 hosts, tiny QEMU guests%n");
        out.printf(Locale.ROOT, "  baseline: guest boot (create to HTTP)        %6.2f s%n", r.bootS());
        out.printf(Locale.ROOT, "  (a) failure declared                         %6.2f s   target <= %.0f s: %s%n",
                r.detectS(), DETECT_TARGET_S, met(detectMet));
        out.printf(Locale.ROOT, "  (b) standby endpoint answering (web)         %6.2f s   %.2f s after detection, target <= %.0f s: %s%n",
                r.standbyRolloverS(), r.standbyRolloverS() - r.detectS(), ROLLOVER_TARGET_S, met(rolloverMet));
        out.printf(Locale.ROOT, "  (c) restarted VM answering (db)              %6.2f s   target <= detection + boot + %.0f s = %.2f s: %s%n",
                r.restartS(), RESTART_TARGET_S, r.detectS() + r.bootS() + RESTART_TARGET_S, met(restartMet));
        out.printf(Locale.ROOT, "  fencing: %s%n", r.fenceMethod());
        out.printf(Locale.ROOT, "  after: db on %s, web (was web-standby) on %s, new standby on %s (%s)%n",
                r.dbHostAfter(), r.webHostAfter(), r.standbyHostAfter(), r.standbyStateAfter());
        out.printf(Locale.ROOT, "  cited, not measured here: vSphere HA declares a host failed after ~15 s by default; "
                + "Proxmox HA restarts after ~120 s (docs/HA.md gives the sources)%n");
    }

    /** The documented targets (docs/HA.md); the CI test's bounds are looser, for a loaded machine, and say so. */
    static final double DETECT_TARGET_S = 2, ROLLOVER_TARGET_S = 1, RESTART_TARGET_S = 1;

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    /** Removes the run's data folder (its hosts are already down). */
    static void deleteQuietly(java.nio.file.Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // leftovers in /var/tmp only
        }
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
