package io.polyvisor.placement;

/**
 * Soft affinity and anti-affinity: 1 when a host honours both preferences ({@code affinity.soft} group
 * present, {@code anti-affinity.soft} group absent), 0.5 when it honours one of two, 0 when neither.
 * VMs without soft rules score 1 everywhere, so the scorer never reorders their hosts.
 */
final class AffinityScorer implements HostScorer {
    static final String NAME = "affinity-soft";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(ClusterView v, int h, Demand d) {
        String with = d.rules().softAffinity(), without = d.rules().softAntiAffinity();
        int rules = 0, kept = 0;
        if (with != null && v.softAffinityPlaced(with)) {
            rules++;
            if (v.softAffinityCount(with, h) > 0) kept++;
        }
        if (without != null) {
            rules++;
            if (v.softAntiAffinityCount(without, h) == 0) kept++;
        }
        return rules == 0 ? 1 : (double) kept / rules;
    }
}
