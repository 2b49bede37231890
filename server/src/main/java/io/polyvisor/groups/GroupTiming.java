package io.polyvisor.groups;

import io.polyvisor.model.InvalidInput;

import java.time.Duration;

/**
 * The groups controller's timing.
 *
 * @param interval      how often every group is evaluated (default 5 s, as the issue asks; HPA's period is 15 s)
 * @param checkInterval how often HAProxy health-checks each member (default 1 s; two passes put it in rotation)
 * @param drainTimeout  how long a draining member may keep requests in flight before it is removed anyway (30 s)
 * @param startTimeout  how long a new member may take to enter rotation before it counts as failed (300 s)
 */
public record GroupTiming(Duration interval, Duration checkInterval, Duration drainTimeout, Duration startTimeout) {
    public static final GroupTiming DEFAULT = new GroupTiming(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(300));

    public GroupTiming {
        for (Duration d : new Duration[] {interval, checkInterval, drainTimeout, startTimeout}) {
            InvalidInput.require(d != null && !d.isNegative() && !d.isZero(), "group timings must be positive");
        }
    }

    /**
     * The defaults, or what the system properties {@code polyvisor.groups.interval-ms}, {@code .check-interval-ms},
     * {@code .drain-timeout-ms} and {@code .start-timeout-ms} say (tests shorten them).
     */
    public static GroupTiming current() {
        return new GroupTiming(ms("interval-ms", DEFAULT.interval), ms("check-interval-ms", DEFAULT.checkInterval),
                ms("drain-timeout-ms", DEFAULT.drainTimeout), ms("start-timeout-ms", DEFAULT.startTimeout));
    }

    private static Duration ms(String key, Duration dflt) {
        String v = System.getProperty("polyvisor.groups." + key);
        return v == null || v.isBlank() ? dflt : Duration.ofMillis(Long.parseLong(v.strip()));
    }
}
