package io.polyvisor.autoscale;

import io.polyvisor.model.InvalidInput;

import java.time.Duration;

/**
 * How a group scales. Validated here with the messages users see.
 *
 * @param min            members the group always keeps (0 allowed)
 * @param max            members the group never exceeds, counting starting, draining and failed ones
 * @param target         what to track, or null to scale only by hand ({@code desired} is then what the user set)
 * @param scaleOutWindow a scale-out follows the lowest recommendation of this window (0: at once)
 * @param scaleInWindow  a scale-in follows the highest recommendation of this window
 * @param stepOut        at most this many members added per evaluation, or the current count if larger (doubling)
 * @param stepIn         at most this many members removed per evaluation
 * @param tolerance      no change while the load per member is within this fraction of the target
 * @param warm           members kept built and suspended, resumed first when scaling out; they count toward max
 *                       (so at most max − min), and the pool yields room to active members near max
 */
public record ScalingRules(int min, int max, Target target, Duration scaleOutWindow, Duration scaleInWindow,
                           int stepOut, int stepIn, double tolerance, int warm) {
    /** Kubernetes HPA's defaults: scale-up stabilisation 0 s, scale-down 300 s, up by max(4 pods, 100 %), tolerance 0.1. */
    public static final Duration SCALE_OUT_WINDOW = Duration.ZERO;
    public static final Duration SCALE_IN_WINDOW = Duration.ofSeconds(300);
    public static final int STEP_OUT = 4;
    /**
     * No step limit on scale-in (HPA's default is 100 % per 15 s): the scale-in window and its hysteresis already
     * decide how far; one action instead of many keeps a later scale-out from reversing a scale-in that was still going on.
     */
    public static final int STEP_IN = 1000;
    public static final double TOLERANCE = 0.1;
    public static final int MAX_MEMBERS = 1000;

    public ScalingRules {
        InvalidInput.require(min >= 0, "min must be 0 or more, got " + min);
        InvalidInput.require(max >= 1 && max <= MAX_MEMBERS, "max must be between 1 and " + MAX_MEMBERS + ", got " + max);
        InvalidInput.require(min <= max, "min (" + min + ") must not be greater than max (" + max + ")");
        scaleOutWindow = scaleOutWindow == null ? SCALE_OUT_WINDOW : scaleOutWindow;
        scaleInWindow = scaleInWindow == null ? SCALE_IN_WINDOW : scaleInWindow;
        InvalidInput.require(!scaleOutWindow.isNegative() && !scaleInWindow.isNegative(), "stabilisation windows must not be negative");
        InvalidInput.require(stepOut >= 1, "step out must be at least 1, got " + stepOut);
        InvalidInput.require(stepIn >= 1, "step in must be at least 1, got " + stepIn);
        InvalidInput.require(tolerance >= 0 && tolerance < 1, "tolerance must be in [0, 1), got " + tolerance);
        InvalidInput.require(warm >= 0, "warm must be 0 or more, got " + warm);
        InvalidInput.require(warm <= max - min, "warm (" + warm + ") must not be greater than max - min (" + (max - min)
                + "): warm members count toward max");
    }

    /** Without a warm pool. */
    public ScalingRules(int min, int max, Target target, Duration scaleOutWindow, Duration scaleInWindow, int stepOut, int stepIn,
                        double tolerance) {
        this(min, max, target, scaleOutWindow, scaleInWindow, stepOut, stepIn, tolerance, 0);
    }

    /** {@code min}, {@code max} and {@code target} with every other rule at its default. */
    public static ScalingRules of(int min, int max, Target target) {
        return new ScalingRules(min, max, target, SCALE_OUT_WINDOW, SCALE_IN_WINDOW, STEP_OUT, STEP_IN, TOLERANCE);
    }

    public ScalingRules withBounds(int min, int max) {
        return new ScalingRules(min, max, target, scaleOutWindow, scaleInWindow, stepOut, stepIn, tolerance, warm);
    }

    public ScalingRules withWarm(int n) {
        return new ScalingRules(min, max, target, scaleOutWindow, scaleInWindow, stepOut, stepIn, tolerance, n);
    }

    public ScalingRules withTarget(Target target) {
        return new ScalingRules(min, max, target, scaleOutWindow, scaleInWindow, stepOut, stepIn, tolerance, warm);
    }

    public ScalingRules withWindows(Duration out, Duration in) {
        return new ScalingRules(min, max, target, out, in, stepOut, stepIn, tolerance, warm);
    }

    /** {@code n} brought within [min, max]. */
    public int clamp(int n) {
        return Math.max(min, Math.min(max, n));
    }
}
