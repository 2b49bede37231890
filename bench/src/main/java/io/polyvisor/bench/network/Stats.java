package io.polyvisor.bench.network;

import java.util.List;

/** Medians of measured samples. */
final class Stats {
    private Stats() {}

    static double median(List<Double> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        var s = samples.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
