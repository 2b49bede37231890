package io.polyvisor.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code polyvisor} command as its own JVM (the test JVM's java and class path, the CLI's main entry as the launcher
 * runs it), its output in files beside its data; {@link #kill()} is SIGKILL.
 */
final class Proc implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;

    private Proc(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Proc start(Path logs, String label, List<String> args) throws IOException {
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx300m",
                "-cp", System.getProperty("java.class.path"), "io.polyvisor.cli.Main"));
        cmd.addAll(args);
        Path out = logs.resolve(label + ".out");
        Path err = logs.resolve(label + ".err");
        var pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().put("POLYVISOR_DB_PASSWORD", ClusterTest.PASSWORD);
        return new Proc(pb.start(), out, err);
    }

    /** The first line of its output that {@code match} accepts, waiting up to {@code timeout}. */
    String awaitLine(Predicate<String> match, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(out)) {
                var lines = Files.readAllLines(out, StandardCharsets.UTF_8);
                for (int i = lines.size() - 1; i >= 0; i--) if (match.test(lines.get(i))) return lines.get(i);
            }
            if (!process.isAlive()) throw new AssertionError("process exited with " + process.exitValue() + ":\n" + tail(err));
            Thread.sleep(50);
        }
        throw new AssertionError("no expected line within " + timeout + ":\n" + tail(err));
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("did not die after SIGKILL");
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
