package io.polyvisor.groups;

import io.polyvisor.api.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * A group as {@code GET /api/v1/groups/{name}} gives it.
 *
 * @param state          active | deleting
 * @param target         cpu=60 | rps=200 | metric:NAME=V, or null when scaled by hand
 * @param healthPath     the HTTP path HAProxy's health check asks members for
 * @param endpoint       where clients connect: HAProxy on 127.0.0.1:PORT
 * @param balancer       running | down: REASON
 * @param lastEvaluation the policy's latest evaluation (recorded as a decision only when it acted or changed desired)
 * @param decisions      the newest recorded decisions, newest first
 */
public record GroupView(String name, String project, String state, int desired, int min, int max, @Nullable String target, int port,
                        String healthPath, String endpoint, String balancer, int vcpus, long memoryBytes, List<MemberView> members,
                        @Nullable DecisionView lastEvaluation, List<DecisionView> decisions, Rules rules) {

    /** One decision: when, the desired count it set, members launched and removed, and why. */
    public record DecisionView(Instant at, int desired, int launched, int removed, String reason) {}

    /** The stabilisation rules in force, and the warm pool's size. */
    public record Rules(long scaleOutWindowS, long scaleInWindowS, int stepOut, int stepIn, double tolerance, int warm) {}

    /** A group in the list. */
    public record Summary(String name, String state, int desired, int min, int max, @Nullable String target, String endpoint,
                          int members, int inRotation, String project) {}
}
