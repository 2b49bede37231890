package io.polyvisor.sim;

import java.time.Duration;

/**
 * A pre-copy live migration worked out in advance (pure): copy all memory while the guest runs, then copy what
 * it dirtied meanwhile, and so on until what is left can be copied within {@code maxDowntime} with the guest
 * paused, or {@code maxRounds} rounds have run (then the rest is copied paused, however long that takes; a guest
 * dirtying memory as fast as the link carries it never converges).
 *
 * @param live      time spent copying while the guest runs
 * @param downtime  time the guest is paused for the final copy
 * @param bytes     bytes sent in all
 */
record PreCopy(Duration live, Duration downtime, long bytes, int rounds) {

    Duration total() {
        return live.plus(downtime);
    }

    static PreCopy plan(long memoryBytes, long dirtyBytesPerSec, long bandwidthBytesPerSec, Duration maxDowntime, int maxRounds) {
        if (bandwidthBytesPerSec <= 0) throw new IllegalArgumentException("bandwidth must be positive, got " + bandwidthBytesPerSec);
        double bw = bandwidthBytesPerSec;
        double maxDownSeconds = maxDowntime.toNanos() / 1e9;
        double remaining = memoryBytes;
        double live = 0;
        double sent = 0;
        int rounds = 0;
        while (remaining > 0) {
            double t = remaining / bw;
            if (rounds > 0 && (t <= maxDownSeconds || rounds >= maxRounds)) break;
            live += t;
            sent += remaining;
            rounds++;
            remaining = Math.min(memoryBytes, dirtyBytesPerSec * t);
        }
        double down = remaining / bw;
        return new PreCopy(seconds(live), seconds(down), Math.round(sent + remaining), rounds);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
