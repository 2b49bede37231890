package io.polyvisor.autoscale;

import java.util.List;

/**
 * What one evaluation decided, as a plan for the controller to carry out; nothing here has happened yet.
 *
 * @param desired  the member count the group now aims for
 * @param launch   new members to create now and start (never more than max minus every existing member)
 * @param removals members to drain and delete, each with why
 * @param history  the recommendation history to pass to the next evaluation (this one's appended, old ones cut)
 * @param reason   one line a user can read: the metric, the recommendation and every limit that applied
 * @param resume   warm members to resume now (they join rotation like new members, without a boot)
 * @param prewarm  new members to create for the warm pool, to be suspended once booted; with launch, never more than
 *                 max minus every existing member
 */
public record Decision(int desired, int launch, List<Removal> removals, List<Recommendation> history, String reason,
                       List<String> resume, int prewarm) {
    public Decision {
        if (launch < 0) throw new IllegalArgumentException("launch must not be negative, got " + launch);
        if (prewarm < 0) throw new IllegalArgumentException("prewarm must not be negative, got " + prewarm);
        removals = List.copyOf(removals);
        history = List.copyOf(history);
        resume = List.copyOf(resume);
    }

    public Decision(int desired, int launch, List<Removal> removals, List<Recommendation> history, String reason) {
        this(desired, launch, removals, history, reason, List.of(), 0);
    }

    /** A member to take out of rotation, drain and delete. */
    public record Removal(String member, String reason) {}

    /** Whether the plan does anything (desired may still have changed). */
    public boolean acts() {
        return launch > 0 || !removals.isEmpty() || !resume.isEmpty() || prewarm > 0;
    }
}
