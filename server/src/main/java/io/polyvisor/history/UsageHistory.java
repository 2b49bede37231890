package io.polyvisor.history;

import io.polyvisor.spi.Usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A short in-memory history of measured CPU and memory, per host and per VM: one sample per {@link #STEP} over the
 * last {@link #WINDOW}. Time is cut into 10 s steps aligned on the epoch; a measurement recorded in a step replaces
 * the one recorded earlier in the same step, so the history holds the latest measurement of each step whatever the
 * sampling period. A series that receives nothing for a whole window is dropped. Lost on restart.
 *
 * <p>Thread-safe: one writer and any number of readers. Memory: 24 bytes per sample, at most
 * 360 samples per host or VM (about 8.6 MB for 1,000 VMs).
 */
public final class UsageHistory<K> {
    public static final Duration STEP = Duration.ofSeconds(10);
    public static final Duration WINDOW = Duration.ofHours(1);
    static final int CAPACITY = (int) (WINDOW.toSeconds() / STEP.toSeconds());

    /** One measurement: the start of its step, CPU in cores, memory in bytes. */
    public record Sample(Instant at, double cpuCores, long memoryBytes) {}

    private final Map<K, Series> series = new ConcurrentHashMap<>();

    /** Records the measurements of this round at {@code now}, and drops series silent for a whole window. */
    public void record(Instant now, Map<K, Usage> measured) {
        long step = step(now);
        measured.forEach((key, u) -> series.computeIfAbsent(key, k -> new Series()).put(step, u.cpuCores(), u.memoryBytes()));
        series.values().removeIf(s -> s.last() <= step - CAPACITY);
    }

    /** The samples of {@code key} in the window ending at {@code now}, oldest first; empty if none. */
    public List<Sample> of(K key, Instant now) {
        Series s = series.get(key);
        return s == null ? List.of() : s.since(step(now) - CAPACITY + 1);
    }

    int size() {
        return series.size();
    }

    private static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP.toSeconds());
    }

    /** A ring of the last CAPACITY steps, indexed by step number modulo CAPACITY. */
    private static final class Series {
        private final long[] steps = new long[CAPACITY];
        private final double[] cpu = new double[CAPACITY];
        private final long[] memory = new long[CAPACITY];
        private long last = Long.MIN_VALUE;

        Series() {
            java.util.Arrays.fill(steps, Long.MIN_VALUE);
        }

        synchronized void put(long step, double cores, long bytes) {
            int i = (int) Math.floorMod(step, (long) CAPACITY);
            steps[i] = step;
            cpu[i] = cores;
            memory[i] = bytes;
            last = Math.max(last, step);
        }

        synchronized long last() {
            return last;
        }

        synchronized List<Sample> since(long first) {
            List<Sample> out = new ArrayList<>();
            for (long s = Math.max(first, last - CAPACITY + 1); s <= last; s++) {
                int i = (int) Math.floorMod(s, (long) CAPACITY);
                if (steps[i] == s) out.add(new Sample(Instant.ofEpochSecond(s * STEP.toSeconds()), cpu[i], memory[i]));
            }
            return out;
        }
    }
}
