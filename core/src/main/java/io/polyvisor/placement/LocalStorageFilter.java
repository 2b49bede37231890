package io.polyvisor.placement;

/**
 * A VM with disks stays on the host whose local pool holds its volumes, unless the request names the host (a user's
 * {@code vm migrate --to}, which copies the disks along: block migration). A balancing move or an HA restart (which
 * name no host) would find no disks elsewhere (shared pools are not built yet). A new VM has no host yet; its create
 * pins it to its volumes' host instead.
 */
final class LocalStorageFilter implements HostFilter {
    static final String NAME = "local-storage";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean admits(ClusterView view, int host, Demand demand) {
        var vm = demand.vm();
        String name = view.host(host).name();
        return vm.spec().disks().isEmpty() || vm.host() == null || vm.host().equals(name) || name.equals(demand.pinnedHost());
    }

    @Override
    public String reason(ClusterView view, int host, Demand demand) {
        return "the VM's disks are volumes in host " + demand.vm().host() + "'s local pool";
    }
}
