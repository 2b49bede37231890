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
 * @param fastCheck     how often HAProxy checks a member that is not fully up yet (joining, or down): {@code fastinter}
 *                      and {@code downinter} (default 200 ms), so a member's first passing check comes soon after it
 *                      serves; once up, checks run every {@code checkInterval}
 * @param joinPoll      how often the controller looks at HAProxy's checks of members on their way into rotation, to
 *                      enable each one as soon as its check passed (default 200 ms; reads only HAProxy's stats)
 * @param scaleOutProbe how often the scale-out fast path reads the tracked metric between evaluations; a load above
 *                      what the desired members carry by more than the tolerance evaluates at once (default 1 s)
 */
public record GroupTiming(Duration interval, Duration checkInterval, Duration drainTimeout, Duration startTimeout, Duration fastCheck,
                          Duration joinPoll, Duration scaleOutProbe) {
    public static final GroupTiming DEFAULT = new GroupTiming(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1));

    public GroupTiming {
        for (Duration d : new Duration[] {interval, checkInterval, drainTimeout, startTimeout, fastCheck, joinPoll, scaleOutProbe}) {
            InvalidInput.require(d != null && !d.isNegative() && !d.isZero(), "group timings must be positive");
        }
    }

    /**
     * The defaults, or what the system properties {@code polyvisor.groups.interval-ms}, {@code .check-interval-ms},
     * {@code .drain-timeout-ms}, {@code .start-timeout-ms}, {@code .fast-check-ms}, {@code .join-poll-ms} and
     * {@code .scale-out-probe-ms} say (tests shorten them).
     */
    public static GroupTiming current() {
        Duration check = ms("check-interval-ms", DEFAULT.checkInterval);
        Duration fast = check.compareTo(DEFAULT.fastCheck) < 0 ? check : DEFAULT.fastCheck; // never slower than the interval
        return new GroupTiming(ms("interval-ms", DEFAULT.interval), check, ms("drain-timeout-ms", DEFAULT.drainTimeout),
                ms("start-timeout-ms", DEFAULT.startTimeout), ms("fast-check-ms", fast), ms("join-poll-ms", DEFAULT.joinPoll),
                ms("scale-out-probe-ms", DEFAULT.scaleOutProbe));
    }

    private static Duration ms(String key, Duration dflt) {
        String v = System.getProperty("polyvisor.groups." + key);
        return v == null || v.isBlank() ? dflt : Duration.ofMillis(Long.parseLong(v.strip()));
    }
}
