package io.polyvisor.placement;

import io.polyvisor.disk.SharedPool;
import io.polyvisor.model.Disk;

/**
 * Where a VM's disks can be reached. A disk in a shared pool is reachable from every host that declares the pool
 * ({@link SharedPool#declaredOn}), so every such host is admitted, for a balancing move or an HA restart too. A disk in
 * the host's local pool keeps the VM on that host unless the request names another (a user's {@code vm migrate --to},
 * which copies the disks along: block migration); a balancing move or an HA restart names no host, so they do not move
 * it. A new VM has no host yet; its create pins it to its local volumes' host instead.
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
        var h = view.host(host);
        boolean local = false;
        for (Disk d : vm.spec().disks()) {
            if (d.local()) local = true;
            else if (!SharedPool.declaredOn(h, d.pool())) return false;
        }
        return !local || vm.host() == null || vm.host().equals(h.name()) || h.name().equals(demand.pinnedHost());
    }

    @Override
    public String reason(ClusterView view, int host, Demand demand) {
        var h = view.host(host);
        for (Disk d : demand.vm().spec().disks()) {
            if (!d.local() && !SharedPool.declaredOn(h, d.pool())) {
                return "the VM's disk " + d.volume() + " is in shared pool " + d.pool() + ", which host " + h.name() + " does not declare";
            }
        }
        return "the VM's disks are volumes in host " + demand.vm().host() + "'s local pool";
    }
}
