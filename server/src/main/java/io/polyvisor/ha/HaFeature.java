package io.polyvisor.ha;

import io.polyvisor.api.Route;
import io.polyvisor.feature.Controller;
import io.polyvisor.feature.Feature;
import io.polyvisor.feature.Platform;
import io.polyvisor.feature.VmFacet;
import io.polyvisor.placement.Placer;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.spi.HostConnection;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * High availability: failure detection, fencing, restart by priority, hot standbys; its routes, its
 * controller, admission control for creates ({@link #admitting}) and the {@code ha} field of every VM.
 *
 * <p>The one place HA's parts are built, from what the composition root passes: the platform's store, journal,
 * task queue, connection pool (its watch connections) and host prober, the placer and the executor's VM locks.
 * HA builds no connection, prober or executor of its own.
 * <pre>
 *  HostProber ─heartbeats─► HaLoop ─tick─► HaController ─► RecoveryExecutor, StandbyKeeper ─► TaskQueue (the executor acts)
 *                                                       └─► HostFencing ─► Fencer ─► watch connections, fence agents
 *  HaRoutes ─► HaService (settings, fence agents, status, admitting placers)
 * </pre>
 */
public final class HaFeature implements Feature {
    /** One controller tick every 100 ms: the host prober's heartbeats come as often. */
    static final Duration TICK = Duration.ofMillis(100);

    private final Platform p;
    private final HaService service;
    private final HaLoop loop;
    private final HaController controller;

    /**
     * @param placer the placer restarts and standbys go through (the same as new VMs)
     * @param locks  the per-VM locks the task executor holds while it changes a VM
     */
    public HaFeature(Platform p, Placer placer, VmLocks locks) {
        this.p = p;
        var hosts = new HostAccess() {
            @Override
            public HostConnection connect(String host) {
                return p.conns().watch(host);
            }

            @Override
            public Optional<HostConnection> open(String host) {
                // the work connection when no watch connection was opened yet: a host that fails before its first
                // probe can still be fenced through the connection its VMs were created on
                return p.conns().watching(host).or(() -> p.conns().ifOpen(host));
            }
        };
        var endpoints = new ServiceEndpoints(p.store());
        var guests = new GuestHealth(p.store(), GuestProbe.http());
        controller = new HaController(new HaWiring(p.store(), hosts, p.journal()::record, placer, locks, p.tasks(),
                () -> System.nanoTime() / 1_000_000,
                Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("ha-fence-", 0).factory()),
                endpoints::primaryChanged, // a promotion moves the service endpoint at once, in the same tick
                DetectorSettings.DEFAULTS));
        controller.guestHealth(guests);
        this.service = new HaService(p.store(), new SettingsStore(p.store()), p.journal()::record, controller, endpoints);
        this.loop = new HaLoop(controller, endpoints, guests, p.prober(), TICK);
    }

    /** Watches only the hosts this server owns (a cluster member); set before the controllers start. */
    public void ownedHosts(io.polyvisor.drivers.HostOwnership o) {
        controller.ownedHosts(o);
    }

    /** The placers VM creates go through, one per create, built before it places: {@code placer}, then HA admission control. */
    public Supplier<Placer> admitting(Placer placer) {
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
        return List.of(loop);
    }

    @Override
    public List<VmFacet> vmFacets() {
        return List.of(new VmFacet("ha", HaRole.class, vm -> HaRole.of(vm, p.store(), controller)));
    }
}
