package io.polyvisor.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wall-clock time. Scheduled tasks share one daemon thread, created on first use. */
final class RealClock implements SimClock {
    static final RealClock INSTANCE = new RealClock();

    private static final class Timer {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "sim-clock");
            t.setDaemon(true);
            return t;
        });
    }

    private RealClock() {}

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating a delay of " + d, e);
        }
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        Timer.EXECUTOR.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "real clock";
    }
}
