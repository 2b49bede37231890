package io.polyvisor.placement;

/**
 * Hard affinity: once a VM of {@code affinity} group G is placed, the others of G go to a host that
 * already runs G. The first VM of a group may go anywhere.
 */
final class AffinityFilter implements HostFilter {
    static final String NAME = "affinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand d) {
        String g = d.rules().affinity();
        return g == null || !view.affinityPlaced(g) || view.affinityCount(g, host) > 0;
    }

    @Override
    public String reason(ClusterView view, int host, Demand d) {
        return "host " + view.host(host).name() + " runs no VM of affinity group " + d.rules().affinity();
    }
}
