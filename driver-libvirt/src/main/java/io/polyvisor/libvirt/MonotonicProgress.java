package io.polyvisor.libvirt;

import java.util.function.DoubleConsumer;

/**
 * Passes progress fractions on only when they grow, and nothing after {@link #finish()} (which reports 1),
 * so a late poll cannot follow the final figure. Thread-safe.
 */
final class MonotonicProgress {
    private final DoubleConsumer target;
    private double last = -1;
    private boolean finished;

    MonotonicProgress(DoubleConsumer target) {
        this.target = target;
    }

    synchronized void report(double fraction) {
        if (finished || fraction <= last) return;
        last = fraction;
        target.accept(fraction);
    }

    synchronized void finish() {
        if (finished) return;
        finished = true;
        target.accept(1.0);
    }
}
