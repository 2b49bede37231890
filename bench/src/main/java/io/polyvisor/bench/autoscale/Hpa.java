package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

import java.util.ArrayDeque;

/**
 * Kubernetes HPA (autoscaling/v2) with its defaults, as its documentation states them
 * (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale): evaluated every 15 s
 * ({@code --horizontal-pod-autoscaler-sync-period}), on metrics-server's 15 s resolution; desired =
 * ceil(current × metric / target), held while the ratio is within the 0.1 tolerance; members not yet ready count as
 * 0 % when scaling up (so: ceil(summed load / target)); scale-up: no stabilisation, at most max(4 pods, 100 %) per
 * 15 s; scale-down: the highest recommendation of the last 300 s, at most 100 % per 15 s.
 */
final class Hpa implements ScalingPolicy {
    static final String NAME = "hpa";
    private static final int WINDOW_S = 300;
    private static final double TOLERANCE = 0.1;
    private final SimParams p;
    private final ArrayDeque<int[]> recs = new ArrayDeque<>(); // {t, recommendation}
    private int desired;

    Hpa(SimParams p, int initial) {
        this.p = p;
        this.desired = initial;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int periodS() {
        return 15;
    }

    @Override
    public int windowS() {
        return 15;
    }

    @Override
    public Plan evaluate(Observation o) {
        int ready = o.count(Member.State.READY);
        int rec = desired;
        if (o.load() != null && ready > 0) {
            double ratio = o.load() / ready / p.targetCpu();
            if (Math.abs(ratio - 1) > TOLERANCE) rec = (int) Math.ceil(o.load() / p.targetCpu() - 1e-9);
        }
        rec = clamp(rec);
        recs.addLast(new int[] {o.t(), rec});
        while (recs.peekFirst()[0] < o.t() - WINDOW_S) recs.removeFirst();
        int highest = recs.stream().mapToInt(r -> r[1]).max().orElse(rec);
        if (rec > desired) desired = Math.min(rec, Math.max(desired + 4, desired * 2));
        else if (highest < desired) desired = highest;
        desired = clamp(desired);
        return Plan.toward(desired, o, p.max());
    }

    private int clamp(int n) {
        return Math.max(p.min(), Math.min(p.max(), n));
    }
}
