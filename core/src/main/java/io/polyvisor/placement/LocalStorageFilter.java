package io.polyvisor.placement;

/**
 * A VM with disks stays on the host whose local pool holds its volumes: a migration, a balancing move or an HA restart
 * elsewhere would find no disks there (shared pools and block migration are not built yet). A new VM has no host yet;
 * its create pins it to its volumes' host instead.
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
        return vm.spec().disks().isEmpty() || vm.host() == null || vm.host().equals(view.host(host).name());
    }

    @Override
    public String reason(ClusterView view, int host, Demand demand) {
        return "the VM's disks are volumes in host " + demand.vm().host() + "'s local pool";
    }
}
