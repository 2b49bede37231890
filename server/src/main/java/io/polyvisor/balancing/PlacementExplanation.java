package io.polyvisor.balancing;

import io.polyvisor.api.Nullable;
import io.polyvisor.placement.Explanation;
import io.polyvisor.placement.Placement;

import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/vms/{ref}/placement}: where the VM would go now, and every host's verdict. */
record PlacementExplanation(String vm, Decision decision, List<HostVerdict> hosts) {

    sealed interface Decision {}

    record PlacedDecision(String host) implements Decision {}

    /** @param host always null: no host fits; {@code excludedBy} counts hosts per rule that excluded any */
    record RejectedDecision(@Nullable String host, String reason, Map<String, Integer> excludedBy) implements Decision {}

    /** @param excludedBy the filter that excluded the host, null when it is feasible */
    record HostVerdict(String host, @Nullable String excludedBy, @Nullable String reason, double score,
                       Map<String, Double> scores) {}

    static PlacementExplanation of(Explanation e) {
        Decision d = switch (e.decision()) {
            case Placement.Placed p -> new PlacedDecision(p.host());
            case Placement.Rejected r -> new RejectedDecision(null, r.reason(), r.excludedBy());
        };
        return new PlacementExplanation(e.vm(), d, e.hosts().stream()
                .map(h -> new HostVerdict(h.host(), h.excludedBy(), h.reason(), h.score(), h.byScorer())).toList());
    }
}
