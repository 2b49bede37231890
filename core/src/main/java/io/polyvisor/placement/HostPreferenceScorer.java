package io.polyvisor.placement;

import java.util.Map;

/** Soft VM-host rules: the fraction of the VM's {@code host.prefer.K=V} labels the host matches (1 if none). */
final class HostPreferenceScorer implements HostScorer {
    static final String NAME = "host-preference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(ClusterView v, int h, Demand d) {
        Map<String, String> prefer = d.rules().preferHost();
        if (prefer.isEmpty()) return 1;
        Map<String, String> labels = v.host(h).labels();
        int kept = 0;
        for (var e : prefer.entrySet()) {
            if (e.getValue().equals(labels.get(e.getKey()))) kept++;
        }
        return (double) kept / prefer.size();
    }
}
