package io.polyvisor.bench;

import io.polyvisor.cli.Cli;
import io.polyvisor.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code polyvisor bench cli}: a CLI call's start-up through the launcher vs {@code java -version}, in one run. */
@Command(name = "cli", description = "Start-up of a CLI call: './polyvisor host list' against a server started for the "
        + "run, vs 'java -version' of the same JDK, alternating. Needs no server.")
public final class CliBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "20", description = "Measured calls of each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "2", description = "Unmeasured calls of each first (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--launcher", paramLabel = "PATH", description = "The launcher to time (default: the polyvisor script above this jar).")
    Path launcher;

    @Override
    public Integer call() throws Exception {
        var cli = Cli.of(spec);
        var settings = new CliStartupBench.Settings(launcher != null ? launcher : CliStartupBench.findLauncher(), runs, warmups);
        CliStartupBench.Result r;
        try {
            r = CliStartupBench.run(settings);
        } catch (CliStartupBench.LauncherFailed e) {
            cli.err().println("error: " + e.getMessage());
            return Main.FAILED;
        }
        var call = r.launcherCalls();
        var version = r.javaVersion();
        if (cli.json()) {
            var o = new LinkedHashMap<String, Object>();
            o.put("command", r.launcher() + " " + String.join(" ", CliStartupBench.COMMAND));
            o.put("runs", r.runs());
            o.put("startup_p50_s", round(call.percentile(50)));
            o.put("startup_p90_s", round(call.percentile(90)));
            o.put("startup_min_s", round(call.min()));
            o.put("java_version_p50_s", round(version.percentile(50)));
            o.put("java_version_p90_s", round(version.percentile(90)));
            o.put("startup_vs_java_version_ratio", round(call.percentile(50) / version.percentile(50)));
            o.put("jdk", r.jdk());
            o.put("java_home", r.javaHome());
            cli.printJson(o);
            return Main.OK;
        }
        var out = cli.out();
        out.printf(Locale.ROOT, "bench cli: %d runs each after %d warm-ups, JDK %s (%s)%n", r.runs(), warmups, r.jdk(), r.javaHome());
        out.printf(Locale.ROOT, "  %-34s %8s %8s %8s%n", "", "P50 S", "P90 S", "MIN S");
        out.printf(Locale.ROOT, "  %-34s %8.3f %8.3f %8.3f%n", "polyvisor host list (launcher)", call.percentile(50), call.percentile(90), call.min());
        out.printf(Locale.ROOT, "  %-34s %8.3f %8.3f %8.3f%n", "java -version (baseline)", version.percentile(50), version.percentile(90), version.min());
        out.printf(Locale.ROOT, "  p50 ratio launcher / java -version  %.1fx%n", call.percentile(50) / version.percentile(50));
        return Main.OK;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
