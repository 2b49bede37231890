package io.polyvisor.placement;

/** Only hosts in a schedulable state (connected, not in maintenance, not failed) take new VMs. */
final class HostStateFilter implements HostFilter {
    static final String NAME = "host-state";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand demand) {
        return view.host(host).state().schedulable();
    }

    @Override
    public String reason(ClusterView view, int host, Demand demand) {
        return "host " + view.host(host).name() + " is " + view.host(host).state().label();
    }

    @Override
    public boolean transientExclusion() {
        return true; // maintenance ends, disconnected hosts come back
    }
}
