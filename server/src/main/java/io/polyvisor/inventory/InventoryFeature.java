package io.polyvisor.inventory;

import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.api.Route;
import io.polyvisor.placement.PlacementSettings;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Hosts: registration, drivers, and the monitor that records hosts' liveness (from the host prober) and reconciles what they run. */
public final class InventoryFeature implements Feature {
    private final Platform p;
    private final HostRequests hosts;
    private final HostMonitor monitor;

    /**
     * @param executing whether the task executor is running a task of this VM right now
     * @param placement the scheduler's settings (maintenance is refused when a VM could only join its standby)
     */
    public InventoryFeature(Platform p, VmUpdates vms, Predicate<UUID> executing, Duration probeInterval, PlacementSettings placement) {
        this.p = p;
        this.hosts = new HostRequests(p.store(), p.conns(), p.journal(), placement);
        this.monitor = new HostMonitor(p.store(), p.conns(), p.prober(), vms, p.journal(), p.usage(), executing, probeInterval);
    }

    /** Observes only the hosts this server owns (a cluster member); set before the controllers start. */
    public void ownedHosts(io.polyvisor.drivers.HostOwnership o) {
        monitor.ownedHosts(o);
    }

    public HostRequests hosts() {
        return hosts;
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public List<Route> routes() {
        return new HostRoutes(p.store(), hosts, p.conns(), p.usage(), p.mapper()).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(monitor::start, monitor::close));
    }
}
