package io.polyvisor.autoscale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The autoscaling policy: a pure function from rules and a snapshot to a {@link Decision}.
 *
 * <pre>
 *  load, ready ─► recommend ceil(load / target) ─► clamp [min, max] ─► windows: out = lowest of the scale-out window,
 *                 (hold within tolerance;                                       in  = highest of the scale-in window, each
 *                  cpu saturated: at least 2 × ready)                                 counted a tolerance below the target
 *              ─► step limits ─► desired ─► plan: remove failed members; remove surplus (starting first, then newest);
 *                                                 resume warm members first; launch the rest, within max − every member;
 *                                                 prepare warm members to refill the pool with the room left
 * </pre>
 *
 * <p>Guarantees, for any snapshot: {@code min <= desired <= max}; launching and preparing never make the members that
 * exist (starting, ready, draining, failed, preparing and warm alike) exceed max; every failed member is removed; the reason names the
 * numbers the decision came from.
 */
public final class TargetTracking {
    /** CPU per member at or above which the group is saturated: its true demand is unknown. */
    static final double SATURATED_CPU = 95;

    private TargetTracking() {}

    public static Decision decide(ScalingRules rules, GroupSnapshot s) {
        int ready = (int) s.count(Member.State.READY);
        int starting = (int) s.count(Member.State.STARTING);
        int current = rules.clamp(s.desired());
        var why = new StringBuilder();

        int recommended = rules.clamp(recommend(rules, s, ready, current, why));
        List<Recommendation> history = history(rules, s, recommended);
        int next = stabilise(rules, s.now(), history, current, why);
        if (s.desired() != current) why.append("; desired ").append(s.desired()).append(" moved within min ").append(rules.min())
                .append(" and max ").append(rules.max());

        List<Decision.Removal> removals = new ArrayList<>();
        for (Member m : s.members()) {
            if (m.state() == Member.State.FAILED) removals.add(new Decision.Removal(m.name(), "failed; replaced once it is gone"));
        }
        int active = ready + starting;
        if (active > next) surplus(s.members(), active - next, removals);
        // scale out from the warm pool first (oldest first), then cold, within max counting every member that exists
        List<String> resume = s.members().stream().filter(m -> m.state() == Member.State.WARM)
                .limit(Math.max(0, next - active)).map(Member::name).toList();
        int room = rules.max() - s.members().size();
        int launch = Math.max(0, Math.min(next - active - resume.size(), room));
        if (next - active - resume.size() > launch) {
            why.append("; launch held to ").append(launch).append(": ").append(s.members().size()).append(" members exist (")
                    .append(breakdown(s)).append("), max ").append(rules.max());
        }
        if (!resume.isEmpty()) why.append("; resume ").append(resume.size()).append(" warm");
        if (launch > 0) why.append("; launch ").append(launch);
        // the pool refills to its size with whatever room is left; a pool larger than its size gives back the newest
        int pool = (int) (s.count(Member.State.WARM) - resume.size() + s.count(Member.State.PREPARING));
        int prewarm = g0(Math.min(rules.warm() - pool, room - launch));
        if (prewarm > 0) why.append("; prepare ").append(prewarm).append(" warm");
        if (pool > rules.warm()) {
            List<Member> spare = new ArrayList<>(s.members().stream().filter(m -> (m.state() == Member.State.WARM && !resume.contains(m.name()))
                    || m.state() == Member.State.PREPARING).toList());
            for (Member m : spare.reversed().subList(0, pool - rules.warm())) removals.add(new Decision.Removal(m.name(), "warm pool above its size"));
        }
        long failed = s.count(Member.State.FAILED);
        if (failed > 0) why.append("; remove ").append(failed).append(" failed");
        return new Decision(next, launch, removals, history, why.toString(), resume, prewarm);
    }

    /** The raw recommendation, before min/max and windows; writes what it saw into {@code why}. */
    private static int recommend(ScalingRules rules, GroupSnapshot s, int ready, int current, StringBuilder why) {
        Target t = rules.target();
        if (t == null) {
            why.append("no target: desired ").append(current).append(" as set");
            return current;
        }
        if (s.load() == null || ready == 0) {
            why.append(t.text()).append(": no measurement yet (").append(ready).append(" ready); hold ").append(current);
            return current;
        }
        double perMember = s.load() / ready;
        double ratio = perMember / t.value();
        why.append(describe(t, perMember)).append(" per member over ").append(ready).append(" ready, target ").append(t.text());
        if (Math.abs(ratio - 1) <= rules.tolerance()) {
            why.append(" (within tolerance ").append(fmt(rules.tolerance())).append("): hold ").append(current);
            return current;
        }
        int n = (int) Math.min(ScalingRules.MAX_MEMBERS, Math.ceil(s.load() / t.value() - 1e-9));
        why.append(": recommends ").append(n);
        if (saturated(rules, s) && n < 2 * ready) {
            // a saturated member shows 100 % however much more it is asked for: the demand is unknown, at least this
            n = Math.min(ScalingRules.MAX_MEMBERS, 2 * ready);
            why.append(" (saturated: at least doubles, ").append(n).append(')');
        }
        return n;
    }

    /** Whether the members in rotation are saturated: CPU per member at or above {@link #SATURATED_CPU}. */
    private static boolean saturated(ScalingRules rules, GroupSnapshot s) {
        long ready = s.count(Member.State.READY);
        return rules.target() instanceof Target.Cpu && s.load() != null && ready > 0 && s.load() / ready >= SATURATED_CPU;
    }

    /** Keeps the recommendations either window still needs, then appends this one. */
    private static List<Recommendation> history(ScalingRules rules, GroupSnapshot s, int recommended) {
        Instant keepFrom = s.now().minus(rules.scaleOutWindow().compareTo(rules.scaleInWindow()) > 0
                ? rules.scaleOutWindow() : rules.scaleInWindow());
        var kept = new ArrayList<Recommendation>();
        for (Recommendation r : s.history()) if (!r.at().isBefore(keepFrom) && !r.at().isAfter(s.now())) kept.add(r);
        kept.add(new Recommendation(s.now(), recommended, s.load() == null ? Double.NaN : s.load()));
        return kept;
    }

    /** Out: the lowest recommendation of the scale-out window; in: the highest of the scale-in window; then step limits. */
    private static int stabilise(ScalingRules rules, Instant now, List<Recommendation> history, int current, StringBuilder why) {
        int up = history.stream().filter(r -> !r.at().isBefore(now.minus(rules.scaleOutWindow())))
                .mapToInt(Recommendation::count).min().orElse(current);
        int down = history.stream().filter(r -> !r.at().isBefore(now.minus(rules.scaleInWindow())))
                .mapToInt(r -> scaleInCount(rules, r)).max().orElse(current);
        if (up > current) {
            int step = Math.max(rules.stepOut(), current);
            int next = Math.min(up, current + step);
            why.append("; scale out ").append(current).append(" -> ").append(next);
            if (next < up) why.append(" (step limit +").append(step).append(')');
            if (!rules.scaleOutWindow().isZero()) why.append(" (lowest of the last ").append(rules.scaleOutWindow().toSeconds()).append(" s)");
            return next;
        }
        if (down < current) {
            int next = Math.max(down, current - rules.stepIn());
            why.append("; scale in ").append(current).append(" -> ").append(next)
                    .append(" (highest of the last ").append(rules.scaleInWindow().toSeconds()).append(" s")
                    .append(next > down ? ", step limit -" + rules.stepIn() : "").append(')');
            return next;
        }
        int latest = history.getLast().count();
        if (latest < current) {
            why.append("; hold ").append(current).append(": scale-in window (").append(rules.scaleInWindow().toSeconds())
                    .append(" s) still holds ").append(down);
        } else if (latest > current) {
            why.append("; hold ").append(current).append(": scale-out window (").append(rules.scaleOutWindow().toSeconds())
                    .append(" s) still holds ").append(up);
        }
        return current;
    }

    /**
     * The members a recommendation keeps when scaling in: enough that its load would sit a tolerance below the target
     * (hysteresis: a load that made the group scale in must rise by twice the tolerance before it scales out again).
     */
    private static int scaleInCount(ScalingRules rules, Recommendation r) {
        if (!r.measured() || rules.target() == null) return r.count();
        int n = (int) Math.min(ScalingRules.MAX_MEMBERS, Math.ceil(r.load() / (rules.target().value() * (1 - rules.tolerance())) - 1e-9));
        return Math.max(r.count(), rules.clamp(n));
    }

    /** Picks {@code n} members to remove beyond those already chosen: starting ones first (newest first), then ready ones, newest first. */
    private static void surplus(List<Member> members, int n, List<Decision.Removal> removals) {
        var order = new ArrayList<Member>();
        for (Member.State st : new Member.State[] {Member.State.STARTING, Member.State.READY}) {
            members.stream().filter(m -> m.state() == st).sorted(Comparator.comparingInt(members::indexOf).reversed()).forEach(order::add);
        }
        for (int i = 0; i < n && i < order.size(); i++) {
            Member m = order.get(i);
            removals.add(new Decision.Removal(m.name(), "scale in (" + m.state().label() + ")"));
        }
    }

    private static int g0(int n) {
        return Math.max(0, n);
    }

    private static String breakdown(GroupSnapshot s) {
        var parts = new ArrayList<String>();
        for (Member.State st : Member.State.values()) {
            long c = s.count(st);
            if (c > 0) parts.add(c + " " + st.label());
        }
        return String.join(", ", parts);
    }

    private static String describe(Target t, double perMember) {
        return switch (t) {
            case Target.Cpu c -> "cpu " + fmt(perMember) + "%";
            case Target.Rps r -> "rps " + fmt(perMember);
            case Target.Metric m -> m.name() + " " + fmt(perMember);
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v).replaceAll("\\.0$", "");
    }
}
