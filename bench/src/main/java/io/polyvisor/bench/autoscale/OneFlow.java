package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

/**
 * OpenNebula OneFlow elasticity (docs.opennebula.io, "OneFlow Services Auto-scaling"): the autoscaler evaluates every
 * 90 s; after a scaling action the role is in SCALING until its VMs run, then in COOLDOWN for 300 s (the default
 * cooldown), and no action is taken in either. OneFlow's rules are user expressions; we give it a kind one: a
 * CARDINALITY adjustment to ceil(load / target) when the CPU per VM is more than 10 % off the target (the same
 * proportional step as target tracking, where the documentation's examples change by a fixed count).
 */
final class OneFlow implements ScalingPolicy {
    static final String NAME = "oneflow";
    private static final int COOLDOWN_S = 300;
    private static final double TOLERANCE = 0.1;
    private final SimParams p;
    private int desired;
    private double cooldownUntil = 0;

    OneFlow(SimParams p, int initial) {
        this.p = p;
        this.desired = initial;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int periodS() {
        return 90;
    }

    @Override
    public int windowS() {
        return 90;
    }

    @Override
    public Plan evaluate(Observation o) {
        int ready = o.count(Member.State.READY);
        if (o.count(Member.State.STARTING) > 0 || o.t() < cooldownUntil || o.load() == null || ready == 0) {
            return Plan.toward(desired, o, p.max());
        }
        double ratio = o.load() / ready / p.targetCpu();
        if (Math.abs(ratio - 1) > TOLERANCE) {
            int rec = Math.max(p.min(), Math.min(p.max(), (int) Math.ceil(o.load() / p.targetCpu() - 1e-9)));
            if (rec != desired) {
                cooldownUntil = o.t() + (rec > desired ? p.coldStartS() : 0) + COOLDOWN_S;
                desired = rec;
            }
        }
        return Plan.toward(desired, o, p.max());
    }
}
