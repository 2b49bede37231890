package io.polyvisor.placement;

/** Honours the request's pinned host ({@code --host}) and excluded hosts (a failed host, a standby's primary). */
final class PinningFilter implements HostFilter {
    static final String NAME = "pinning";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand demand) {
        if (demand.pinnedHost() == null && demand.excludeHosts().isEmpty()) return true;
        String name = view.host(host).name();
        return (demand.pinnedHost() == null || demand.pinnedHost().equals(name)) && !demand.excludeHosts().contains(name);
    }

    @Override
    public String reason(ClusterView view, int host, Demand demand) {
        String name = view.host(host).name();
        return demand.excludeHosts().contains(name) ? "host " + name + " is excluded by the request"
                : "the VM is pinned to host " + demand.pinnedHost();
    }
}
