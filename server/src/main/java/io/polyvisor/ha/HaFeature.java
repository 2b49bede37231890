package io.polyvisor.ha;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;
import io.polyvisor.placement.Placer;
import io.polyvisor.spi.DriverRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * High availability: failure detection, fencing, restart by priority, hot standbys; its routes, its
 * controller, admission control for creates ({@link #admitting}) and the {@code ha} field of every VM.
 */
public final class HaFeature implements Feature {
    private final Platform p;
    private final OwnConnections hosts;
    private final HaService service;

    /**
     * @param locks  the per-VM locks the task executor holds while it changes a VM
     * @param wake   wakes the task executor after HA queued tasks
     */
    public HaFeature(Platform p, DriverRegistry drivers, Placer placer, VmLocks locks, Runnable wake) {
        this.p = p;
        this.hosts = new OwnConnections(drivers, p.store());
        this.service = new HaService(new HaWiring(p.store(), hosts, p.journal()::record, placer, locks, wake,
                () -> System.nanoTime() / 1_000_000,
                Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("ha-fence-", 0).factory()),
                service -> { }, DetectorSettings.DEFAULTS), Duration.ofMillis(100), Duration.ofMillis(100));
    }

    /** The placer VM creates go through: {@code placer}, then HA admission control on its choice. */
    public Placer admitting(Placer placer) {
        return service.admitting(placer);
    }

    @Override
    public String name() {
        return "ha";
    }

    @Override
    public List<Route> routes() {
        return new HaRoutes(service, p.store(), p.mapper()).routes();
    }

    @Override
    public List<Controller> controllers() {
        return List.of(Controller.of(service::start, () -> {
            service.close();
            hosts.close();
        }));
    }

    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("ha", HaRole.class, vm -> HaRole.of(vm, p.store())));
    }
}
