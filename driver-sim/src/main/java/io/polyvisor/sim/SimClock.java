package io.polyvisor.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the simulator sees it. Every delay in the simulator (operation latency, migration transfer, a guest
 * taking its time to power off) goes through this, so a {@link VirtualClock} runs hours of scenario in
 * milliseconds and two runs with the same seed see the same times.
 */
public sealed interface SimClock permits RealClock, VirtualClock {

    Instant now();

    /** Blocks the calling thread for {@code d} of this clock's time ({@code d} may be zero). */
    void sleep(Duration d);

    /** Runs {@code task} once, {@code delay} from now, on a clock thread (real) or the advancing thread (virtual). */
    void schedule(Duration delay, Runnable task);

    /** Wall-clock time; one shared daemon thread runs all scheduled tasks. */
    static SimClock real() {
        return RealClock.INSTANCE;
    }

    /** A clock that stands still until {@link VirtualClock#advance} or {@link #sleep} moves it. */
    static VirtualClock virtual(Instant start) {
        return new VirtualClock(start);
    }
}
