package io.polyvisor.bench;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.server.PolyvisorServer;
import io.polyvisor.server.ServerConfig;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CLI call as a user makes it, {@code ./polyvisor host list} through the launcher against a running server, timed
 * from process start to exit, beside {@code java -version} of the same JDK (the floor for any Java program)
 * measured in the same run. The two alternate, so background load falls on both alike. A server runs in this
 * process on an ephemeral port with embedded H2 and two simulated hosts; the launcher is given {@code --url} and
 * {@code --token} and {@code JAVA_HOME} set to this JVM's home, so both figures are for one JDK.
 */
public final class CliStartupBench {
    static final List<String> COMMAND = List.of("host", "list");

    public record Settings(Path launcher, int runs, int warmups) {
        public Settings {
            InvalidInput.require(runs >= 1 && runs <= 1000, "runs must be between 1 and 1000, got " + runs);
            InvalidInput.require(warmups >= 0 && warmups <= 100, "warmups must be between 0 and 100, got " + warmups);
            InvalidInput.require(Files.isExecutable(launcher), "launcher must be an executable file, got '" + launcher + "'");
        }
    }

    /** Seconds per run, in the order measured. */
    public record Timings(List<Double> seconds) {
        public double percentile(double p) {
            var sorted = seconds.stream().sorted().toList();
            return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }

        public double min() {
            return seconds.stream().min(Comparator.naturalOrder()).orElseThrow();
        }
    }

    public record Result(Path launcher, String javaHome, String jdk, int runs, Timings launcherCalls, Timings javaVersion) {}

    /** The launcher failed or printed no host: the figures would mean nothing. */
    public static final class LauncherFailed extends Exception {
        LauncherFailed(String message) {
            super(message);
        }
    }

    private CliStartupBench() {}

    public static Result run(Settings s) throws IOException, InterruptedException, LauncherFailed {
        var javaHome = Path.of(System.getProperty("java.home"));
        var java = javaHome.resolve("bin/java").toString();
        Path work = Files.createTempDirectory("polyvisor-bench-cli");
        try (var server = PolyvisorServer.start(ServerConfig.of(work.resolve("data")).withPort(0).withSimHosts(2))) {
            var call = new ArrayList<>(List.of(s.launcher().toString()));
            call.addAll(COMMAND);
            call.addAll(List.of("--url", server.url().toString(), "--token", server.token()));
            var versionCall = List.of(java, "-version");
            for (int i = 0; i < s.warmups(); i++) {
                launch(call, true, work, javaHome);
                launch(versionCall, false, work, javaHome);
            }
            var calls = new double[s.runs()];
            var versions = new double[s.runs()];
            for (int i = 0; i < s.runs(); i++) {
                calls[i] = launch(call, true, work, javaHome);
                versions[i] = launch(versionCall, false, work, javaHome);
            }
            return new Result(s.launcher(), javaHome.toString(), Runtime.version().toString(), s.runs(),
                    timings(calls), timings(versions));
        } finally {
            deleteTree(work);
        }
    }

    /** The {@code polyvisor} script above the jar or classes this class was loaded from. */
    public static Path findLauncher() {
        Path here;
        try {
            here = Path.of(CliStartupBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (var dir = here; dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve("polyvisor");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        throw new InvalidInput("no polyvisor launcher found above " + here + "; pass --launcher PATH");
    }

    /** Runs one command to its end and returns its wall time in seconds; a failure, or no host listed when one should be, throws. */
    private static double launch(List<String> command, boolean listsHosts, Path work, Path javaHome)
            throws IOException, InterruptedException, LauncherFailed {
        var out = work.resolve("out.txt");
        var err = work.resolve("err.txt");
        var pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        long start = System.nanoTime();
        var p = pb.start();
        // the first call may build the jar and record the start-up cache: minutes, not seconds
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new LauncherFailed(String.join(" ", command) + " did not finish in 10 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0 || listsHosts && Files.readAllLines(out).stream().noneMatch(l -> l.startsWith("h1 "))) {
            var shown = command.stream().takeWhile(a -> !a.equals("--token")).toList(); // never print the token
            throw new LauncherFailed(String.join(" ", shown) + " failed (exit " + p.exitValue() + "): "
                    + (Files.readString(err) + Files.readString(out)).strip());
        }
        return seconds;
    }

    private static Timings timings(double[] seconds) {
        return new Timings(Arrays.stream(seconds).boxed().toList());
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
