package io.polyvisor.bench.autoscale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code polyvisor bench autoscale --trace}: every scenario under every policy in one run, the totals per policy and
 * Polyvisor's targets against the best reference (the one with the least violation): violation at most half of it,
 * VM hours no more than it, zero flaps.
 */
public final class TraceBench {
    private TraceBench() {}

    /** One policy's totals and its scenarios. */
    public record PolicyResult(String policy, List<ScenarioResult> perScenario) {
        long violationS() {
            return perScenario.stream().mapToLong(ScenarioResult::violationS).sum();
        }

        double vmHours() {
            return perScenario.stream().mapToDouble(ScenarioResult::vmHours).sum();
        }

        public Map<String, Object> json() {
            var m = new LinkedHashMap<String, Object>();
            m.put("policy", policy);
            m.put("violation_s", violationS());
            m.put("vm_hours", round(vmHours()));
            m.put("warm_hours", round(perScenario.stream().mapToDouble(ScenarioResult::warmHours).sum()));
            m.put("scaling_actions", perScenario.stream().mapToLong(ScenarioResult::scalingActions).sum());
            m.put("flaps", perScenario.stream().mapToLong(ScenarioResult::flaps).sum());
            m.put("cold_starts", perScenario.stream().mapToLong(ScenarioResult::coldStarts).sum());
            m.put("warm_starts", perScenario.stream().mapToLong(ScenarioResult::warmStarts).sum());
            var rows = new ArrayList<Map<String, Object>>();
            for (ScenarioResult r : perScenario) {
                var row = new LinkedHashMap<String, Object>();
                row.put("scenario", r.scenario());
                row.put("violation_s", r.violationS());
                row.put("vm_hours", round(r.vmHours()));
                row.put("warm_hours", round(r.warmHours()));
                row.put("scaling_actions", r.scalingActions());
                row.put("flaps", r.flaps());
                row.put("max_vms", r.maxMembers());
                rows.add(row);
            }
            m.put("per_scenario", rows);
            return m;
        }
    }

    public static List<PolicyResult> run(List<Scenario> scenarios, SimParams p) {
        var out = new ArrayList<PolicyResult>();
        for (BiFunction<SimParams, Integer, ScalingPolicy> f : GroupSim.policies()) {
            String name = f.apply(p, p.min()).name();
            out.add(new PolicyResult(name, scenarios.stream().map(s -> GroupSim.run(s, p, f)).toList()));
        }
        return out;
    }

    /** Polyvisor against the reference with the least violation. */
    public static Map<String, Object> targets(List<PolicyResult> results) {
        PolicyResult pv = results.stream().filter(r -> r.policy().equals(PolyvisorTracking.NAME)).findFirst().orElseThrow();
        PolicyResult best = results.stream().filter(r -> r != pv)
                .min(java.util.Comparator.comparingLong(PolicyResult::violationS).thenComparingDouble(PolicyResult::vmHours)).orElseThrow();
        double vRatio = best.violationS() == 0 ? (pv.violationS() == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) pv.violationS() / best.violationS();
        double hRatio = pv.vmHours() / best.vmHours();
        long flaps = pv.perScenario().stream().mapToLong(ScenarioResult::flaps).sum();
        var m = new LinkedHashMap<String, Object>();
        m.put("best_reference_policy", best.policy());
        m.put("violation_vs_best", round(vRatio));
        m.put("vm_hours_vs_best", round(hRatio));
        m.put("polyvisor_flaps", flaps);
        m.put("violation_at_most_half", vRatio <= 0.5);
        m.put("vm_hours_at_most_best", hRatio <= 1.0);
        m.put("zero_flaps", flaps == 0);
        m.put("met", vRatio <= 0.5 && hRatio <= 1.0 && flaps == 0);
        return m;
    }

    public static String table(String title, List<PolicyResult> results) {
        var b = new StringBuilder(title).append('\n');
        String f = "%-20s %12s %9s %10s %8s %6s%n";
        b.append(String.format(Locale.ROOT, f, "POLICY", "VIOLATION_S", "VM_HOURS", "WARM_HOURS", "ACTIONS", "FLAPS"));
        for (PolicyResult r : results) {
            Map<String, Object> j = r.json();
            b.append(String.format(Locale.ROOT, f, r.policy(), j.get("violation_s"), j.get("vm_hours"), j.get("warm_hours"),
                    j.get("scaling_actions"), j.get("flaps")));
        }
        Map<String, Object> t = targets(results);
        b.append(String.format(Locale.ROOT, "polyvisor vs %s: violation x%s (target <= 0.5), vm hours x%s (target <= 1), flaps %s (target 0): %s%n",
                t.get("best_reference_policy"), t.get("violation_vs_best"), t.get("vm_hours_vs_best"), t.get("polyvisor_flaps"),
                (boolean) t.get("met") ? "met" : "NOT met"));
        return b.toString();
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
