package io.polyvisor.bench.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the trace replay for several policies over one or more days, two replays at a time (each replay
 * is single-threaded), and returns every result in day, policy order.
 */
public final class ConsolidationBench {
    public static final List<String> DEFAULT_POLICIES = List.of("polyvisor", "thr-mmt-0.8", "iqr-mmt-1.5", "mad-mmt-2.5", "lr-mmt-1.2",
            "dvfs", "npa");

    private ConsolidationBench() {}

    /** Day folders under {@code dir}: {@code dir} itself if it holds trace files, else its 8-digit subfolders. */
    public static List<Path> days(Path dir, List<String> only) {
        List<Path> days = TraceDay.days(dir);
        if (days.isEmpty()) return Files.isDirectory(dir) ? List.of(dir) : List.of();
        if (only.isEmpty()) return days;
        return days.stream().filter(d -> only.contains(d.getFileName().toString())).toList();
    }

    public static List<ReplayResult> run(List<Path> days, List<String> policies, int threads) {
        for (String p : policies) ReferencePolicies.byName(p); // validate names before any work
        try (var pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<ReplayResult>> jobs = new ArrayList<>();
            for (Path dir : days) {
                TraceDay day = TraceDay.load(dir);
                for (String p : policies) jobs.add(pool.submit(() -> ReferencePolicies.run(day, p)));
            }
            List<ReplayResult> out = new ArrayList<>();
            for (var j : jobs) out.add(j.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
