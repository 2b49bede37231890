package io.polyvisor.autoscale;

import java.time.Instant;
import java.util.List;

/**
 * What one evaluation sees: an immutable snapshot, read before deciding.
 *
 * @param now     the evaluation's time
 * @param desired the member count decided last time (or set by hand)
 * @param members every member whose VM still exists, oldest first
 * @param load    the tracked metric summed over the members in rotation (CPU percent summed, requests per second,
 *                the pushed metric summed); null when there is no measurement
 * @param history earlier recommendations, oldest first; entries older than both windows may be left out
 */
public record GroupSnapshot(Instant now, int desired, List<Member> members, Double load, List<Recommendation> history) {
    public GroupSnapshot {
        members = List.copyOf(members);
        history = List.copyOf(history);
    }

    long count(Member.State s) {
        return members.stream().filter(m -> m.state() == s).count();
    }
}
