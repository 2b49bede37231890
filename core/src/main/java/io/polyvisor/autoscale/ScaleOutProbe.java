package io.polyvisor.autoscale;

import java.util.Locale;

/**
 * The scale-out fast path between evaluations: a cheap look at the tracked metric (HAProxy's request rate, the pushed
 * samples, the driver's CPU) that asks for an evaluation at once when the load exceeds what the desired members carry
 * by more than the tolerance. It only decides <em>when</em> to evaluate; what to do stays {@link TargetTracking}'s
 * decision. Scale-in never takes this path: it waits for the period and its stabilisation window.
 */
public final class ScaleOutProbe {
    private ScaleOutProbe() {}

    /**
     * Why the group should be evaluated now, or null: not when it has no target or no measurement, is at max already
     * (an evaluation could add nothing), or has a scale-out window (which would hold the scale-out anyway).
     *
     * @param desired the group's desired members (those in rotation and those on their way)
     * @param load    the tracked metric summed over the members in rotation, as {@link GroupSnapshot#load()} carries it
     */
    public static String due(ScalingRules rules, int desired, Double load) {
        Target t = rules.target();
        if (t == null || load == null || desired >= rules.max() || !rules.scaleOutWindow().isZero()) return null;
        double carried = desired * t.value() * (1 + rules.tolerance());
        if (load <= carried) return null;
        return String.format(Locale.ROOT, "evaluated early: load %.1f above %d desired x %s + %.0f %% tolerance", load, desired,
                t.text(), rules.tolerance() * 100);
    }
}
