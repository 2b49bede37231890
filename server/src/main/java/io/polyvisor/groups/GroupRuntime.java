package io.polyvisor.groups;

import io.polyvisor.autoscale.Decision;
import io.polyvisor.autoscale.Recommendation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller keeps in memory about one group between evaluations: the stabilisation history, members
 * leaving, when each member was first seen, pushed metric samples and the last evaluation. Lost on a restart:
 * the windows then start empty, and members that were draining are drained again if the policy still removes them.
 */
final class GroupRuntime {
    record Sample(double value, Instant at) {}

    record Leaving(Instant since, String reason) {}

    volatile List<Recommendation> history = List.of();
    volatile Decision last;
    volatile Instant lastAt;
    final Map<String, Leaving> leaving = new ConcurrentHashMap<>();
    final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    final Map<String, Sample> samples = new ConcurrentHashMap<>();
    /** Members whose DELETE task is queued. */
    final Map<String, Boolean> deleting = new ConcurrentHashMap<>();
    /**
     * Members created for the warm pool and not paused yet: true until their suspend is asked for, then false (lost on a
     * restart: such a member then joins rotation, and the policy removes it if surplus).
     */
    final Map<String, Boolean> preparing = new ConcurrentHashMap<>();
    /**
     * Members added to HAProxy and not in rotation yet: the join poll enables each one as soon as HAProxy's check of it
     * passed ({@link GroupTiming#joinPoll()}), without waiting for an evaluation.
     */
    final java.util.Set<String> entering = ConcurrentHashMap.newKeySet();
    /** Members last seen in rotation, to record joins once. */
    final Map<String, Boolean> joined = new ConcurrentHashMap<>();
}
