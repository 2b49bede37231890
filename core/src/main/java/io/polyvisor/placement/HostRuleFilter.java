package io.polyvisor.placement;

import java.util.Map;

/** VM-host rules: {@code host.require.K=V} and {@code host.avoid.K=V} against host labels. */
final class HostRuleFilter implements HostFilter {
    static final String NAME = "host-rules";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand d) {
        if (!d.rules().hasHostRules()) return true;
        Map<String, String> labels = view.host(host).labels();
        for (var e : d.rules().requireHost().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        for (var e : d.rules().avoidHost().entrySet()) {
            if (e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public String reason(ClusterView view, int host, Demand d) {
        Map<String, String> labels = view.host(host).labels();
        for (var e : d.rules().requireHost().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return "host " + view.host(host).name() + " lacks label " + e.getKey() + "=" + e.getValue();
            }
        }
        for (var e : d.rules().avoidHost().entrySet()) {
            if (e.getValue().equals(labels.get(e.getKey()))) {
                return "host " + view.host(host).name() + " has avoided label " + e.getKey() + "=" + e.getValue();
            }
        }
        return "host rule";
    }
}
