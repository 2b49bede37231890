package io.polyvisor.placement;

import java.util.List;
import java.util.Map;

/**
 * Why a VM would go where it goes: every host, feasible ones first by score, then the excluded ones
 * with the rule that excluded them. {@code decision} is what {@link Scheduler#place} returns for the
 * same inputs.
 */
public record Explanation(String vm, List<HostVerdict> hosts, Placement decision) {
    public Explanation {
        hosts = List.copyOf(hosts);
    }

    /** {@code excludedBy} is a filter name, or null when the host is feasible. */
    public record HostVerdict(String host, String excludedBy, String reason, double score, Map<String, Double> byScorer) {}
}
