package io.polyvisor.placement;

import java.util.List;
import java.util.Map;

/** The outcome of a placement decision: a host, or a reasoned rejection a user can read. */
public sealed interface Placement {

    /** Run on {@code host}. {@code scores} lists the best candidates considered (at most 16), best first (may be empty). */
    record Placed(String host, List<HostScore> scores) implements Placement {}

    /**
     * No host fits. {@code reason} is a sentence for the user (e.g. "no host fits: capacity excluded 3 hosts,
     * maintenance excluded 1"); {@code excludedBy} counts hosts excluded per rule name; {@code resolvable} is
     * true when the same request may fit later (capacity frees up) and false when it never can as configured.
     */
    record Rejected(String reason, Map<String, Integer> excludedBy, boolean resolvable) implements Placement {}

    record HostScore(String host, double score, Map<String, Double> byScorer) {}
}
