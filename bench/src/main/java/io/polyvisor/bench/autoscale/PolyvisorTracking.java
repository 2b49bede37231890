package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Decision;
import io.polyvisor.autoscale.GroupSnapshot;
import io.polyvisor.autoscale.Recommendation;
import io.polyvisor.autoscale.ScalingRules;
import io.polyvisor.autoscale.Target;
import io.polyvisor.autoscale.TargetTracking;

import java.time.Instant;
import java.util.List;

/**
 * Polyvisor's policy as the server runs it: {@link TargetTracking#decide} (the same core code GroupController calls)
 * with a group's default rules, every 5 s on the CPU measured over the last 5 s (the controller's interval).
 */
final class PolyvisorTracking implements ScalingPolicy {
    static final String NAME = "polyvisor";
    private final ScalingRules rules;
    private int desired;
    private List<Recommendation> history = List.of();

    PolyvisorTracking(SimParams p, int initial) {
        this.rules = ScalingRules.of(p.min(), p.max(), new Target.Cpu(p.targetCpu()));
        this.desired = initial;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int periodS() {
        return 5;
    }

    @Override
    public int windowS() {
        return 5;
    }

    @Override
    public Plan evaluate(Observation o) {
        Decision d = TargetTracking.decide(rules, new GroupSnapshot(Instant.EPOCH.plusSeconds(o.t()), desired, o.members(), o.load(), history));
        desired = d.desired();
        history = d.history();
        return new Plan(d.launch(), d.removals().stream().map(Decision.Removal::member).toList());
    }
}
