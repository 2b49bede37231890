package io.polyvisor.placement;

/** Hard anti-affinity: no host runs two VMs of the same {@code anti-affinity} group. */
final class AntiAffinityFilter implements HostFilter {
    static final String NAME = "anti-affinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand d) {
        String g = d.rules().antiAffinity();
        return g == null || view.antiAffinityCount(g, host) == 0;
    }

    @Override
    public String reason(ClusterView view, int host, Demand d) {
        return "host " + view.host(host).name() + " already runs a VM of anti-affinity group " + d.rules().antiAffinity();
    }
}
