package io.polyvisor.ha;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The recent heartbeats of one host: the time of the last one and the intervals between the last
 * {@code window} ones. Immutable; {@link #record} returns a new history. Times are milliseconds on a
 * monotonic clock owned by the caller (the detector never reads a clock).
 */
public record HeartbeatHistory(long lastMillis, List<Long> intervals, int window) {
    public HeartbeatHistory {
        intervals = List.copyOf(intervals);
        if (window < 2) throw new IllegalArgumentException("window must be at least 2, got " + window);
    }

    /** A history whose first heartbeat arrived at {@code atMillis}. */
    public static HeartbeatHistory first(long atMillis, int window) {
        return new HeartbeatHistory(atMillis, List.of(), window);
    }

    /** This history plus a heartbeat at {@code atMillis}; a heartbeat older than the last one is ignored. */
    public HeartbeatHistory record(long atMillis) {
        if (atMillis <= lastMillis) return this;
        var next = new ArrayDeque<>(intervals);
        next.addLast(atMillis - lastMillis);
        while (next.size() > window) next.removeFirst();
        return new HeartbeatHistory(atMillis, List.copyOf(next), window);
    }

    public double mean(double whenEmpty) {
        return intervals.isEmpty() ? whenEmpty : intervals.stream().mapToLong(Long::longValue).average().orElseThrow();
    }

    public double stdDev(double whenEmpty) {
        if (intervals.size() < 2) return whenEmpty;
        double m = mean(0);
        double var = intervals.stream().mapToDouble(i -> (i - m) * (i - m)).sum() / intervals.size();
        return Math.sqrt(var);
    }
}
