package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

import java.util.ArrayList;
import java.util.List;

/**
 * AWS EC2 Auto Scaling target tracking with its defaults (docs.aws.amazon.com/autoscaling/ec2/userguide/
 * as-scaling-target-tracking.html and ec2-auto-scaling-default-instance-warmup.html): 1-minute metrics (detailed
 * monitoring); the policy's high alarm fires on 3 datapoints of 3 minutes above the target, its low alarm on 15
 * datapoints of 15 minutes below 90 % of it; capacity is set proportionally, ceil(load / target); instance warm-up
 * 300 s: no scale-in while a launched instance is warming up; scale-in cooldown 300 s. Kinder than AWS in one way:
 * an alarm that stays in ALARM acts again every minute.
 */
final class AwsTargetTracking implements ScalingPolicy {
    static final String NAME = "aws-target-tracking";
    private static final int HIGH_POINTS = 3, LOW_POINTS = 15, WARMUP_S = 300, COOLDOWN_S = 300;
    private static final double LOW_FRACTION = 0.9;
    private final SimParams p;
    private final List<Double> points = new ArrayList<>();
    private int desired;
    private int lastOut = -WARMUP_S, lastIn = -COOLDOWN_S;

    AwsTargetTracking(SimParams p, int initial) {
        this.p = p;
        this.desired = initial;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int periodS() {
        return 60;
    }

    @Override
    public int windowS() {
        return 60;
    }

    @Override
    public Plan evaluate(Observation o) {
        int ready = o.count(Member.State.READY);
        if (o.load() == null || ready == 0) return Plan.toward(desired, o, p.max());
        points.add(o.load() / ready);
        int rec = clamp((int) Math.ceil(o.load() / p.targetCpu() - 1e-9));
        if (last(HIGH_POINTS, v -> v > p.targetCpu()) && rec > desired) {
            desired = rec;
            lastOut = o.t();
        } else if (last(LOW_POINTS, v -> v < LOW_FRACTION * p.targetCpu()) && rec < desired
                && o.t() - lastOut >= WARMUP_S && o.t() - lastIn >= COOLDOWN_S) {
            desired = rec;
            lastIn = o.t();
        }
        return Plan.toward(desired, o, p.max());
    }

    private boolean last(int n, java.util.function.DoublePredicate test) {
        if (points.size() < n) return false;
        return points.subList(points.size() - n, points.size()).stream().allMatch(test::test);
    }

    private int clamp(int n) {
        return Math.max(p.min(), Math.min(p.max(), n));
    }
}
