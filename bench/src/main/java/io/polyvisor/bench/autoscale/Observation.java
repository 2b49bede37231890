package io.polyvisor.bench.autoscale;

import io.polyvisor.autoscale.Member;

import java.util.List;

/**
 * What a policy sees at one evaluation, the same for every policy.
 *
 * @param t       seconds since the scenario began
 * @param members every member whose VM exists, oldest first (warm members in the pool are not members)
 * @param load    CPU percent summed over the members in rotation, averaged over the policy's own metric window and
 *                {@code metricDelayS} old; null before the first measurement. It never exceeds 100 per member: a
 *                saturated group cannot show how much more it is asked for.
 */
record Observation(int t, List<Member> members, Double load) {
    int count(Member.State s) {
        return (int) members.stream().filter(m -> m.state() == s).count();
    }
}
