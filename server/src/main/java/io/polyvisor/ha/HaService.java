package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.Placer;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * High availability as the server runs it: the {@link HaController} ticking every {@code tick}, the
 * {@link HeartbeatProber}, the cluster settings ({@link HaSettingsDocument}) and per-host fence agents
 * ({@link FenceConfig#key}), and the status view. Stored settings that are invalid stop it at construction.
 */
public final class HaService implements AutoCloseable {
    private final Store store;
    private final SettingsStore settings;
    private final HaController controller;
    private final HeartbeatProber prober;
    private final Duration tick;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ha").factory());
    private final EventSink events;
    private final ServiceEndpoints endpoints;
    private final GuestHealth guests;
    private final ScheduledExecutorService guestChecks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ha-guest-checks").factory());
    private long ticks;

    public HaService(HaWiring wiring, Duration probeInterval, Duration tick) {
        this.store = wiring.store();
        this.settings = new SettingsStore(store);
        this.events = wiring.events();
        this.endpoints = new ServiceEndpoints(store);
        var outer = wiring.primaryChanged();
        // a promotion moves the service endpoint at once, in the same tick
        this.controller = new HaController(new HaWiring(wiring.store(), wiring.hosts(), wiring.events(), wiring.placer(),
                wiring.locks(), wiring.wakeLifecycle(), wiring.clockMillis(), wiring.fenceExecutor(),
                name -> {
                    endpoints.primaryChanged(name);
                    outer.accept(name);
                }, wiring.detector()));
        this.controller.settings(settings.load(HaSettingsDocument.KEY));
        this.prober = new HeartbeatProber(store, wiring.hosts(), controller::heartbeat, probeInterval);
        this.guests = new GuestHealth(store, GuestProbe.http());
        controller.guestHealth(guests);
        this.tick = tick;
    }

    public void start() {
        prober.start();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                controller.tick();
                if (ticks++ % 5 == 0) endpoints.sync(); // opens endpoints of new standby-protected VMs
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HaService.class).error("HA tick failed", e);
            }
        }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        guestChecks.scheduleWithFixedDelay(() -> {
            try {
                guests.check();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HaService.class).warn("guest health checks failed: {}", e.toString());
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    public HaController controller() {
        return controller;
    }

    public HaSettings settings() {
        return controller.settings();
    }

    /** Validates, stores and applies new settings; refuses to promise more than the cluster can hold now. */
    public HaSettings putSettings(HaSettings s) {
        HaSettings old = controller.settings();
        controller.settings(s);
        if (s.tolerateHostFailures() > old.tolerateHostFailures() && controller.admission() instanceof Admission.Rejected r) {
            controller.settings(old);
            throw new InvalidInput("cannot tolerate " + s.tolerateHostFailures() + " host failures with the VMs running now: " + r.reason());
        }
        settings.save(HaSettingsDocument.KEY, s);
        events.record(HaEvent.HA_SETTINGS, "cluster", "high availability now tolerates " + s.tolerateHostFailures()
                + " host failure(s); fencing is retried every " + s.fenceRetrySeconds() + " s");
        return s;
    }

    public Optional<FenceConfig> fenceAgent(String host) {
        return settings.find(FenceConfig.key(host));
    }

    /** Sets {@code host}'s fence agent; null removes it. */
    public void putFenceAgent(String host, FenceConfig config) {
        if (config == null) settings.clear(FenceConfig.key(host));
        else settings.save(FenceConfig.key(host), config);
        events.record(HaEvent.HA_FENCE_AGENT, host, config == null ? "fence agent of host " + host + " removed"
                : "host " + host + " is fenced with " + config.agent() + " " + config.redacted());
    }

    /**
     * The placer the VM create path uses: the given one, then admission control on its choice. A refusal
     * comes back as a placement rejection (422 with the reason).
     */
    public Placer admitting(Placer placer) {
        return (snapshot, request) -> {
            Placement p = placer.place(snapshot, request);
            if (p instanceof Placement.Placed placed && request.vm().state() instanceof VmState.Pending
                    && controller.admit(request.vm(), placed.host()) instanceof Admission.Rejected r) {
                return new Placement.Rejected(r.reason(), Map.of("admission", 1), true);
            }
            return p;
        };
    }

    public HaStatus status() {
        var health = controller.health();
        var hostRows = new ArrayList<HaStatus.HostRow>();
        long now = System.nanoTime() / 1_000_000;
        for (var h : store.hosts()) {
            HostHealth hh = health.getOrDefault(h.name(), new HostHealth.Healthy(now));
            String detail = switch (hh) {
                case HostHealth.Dead d -> "fenced by " + d.method();
                case HostHealth.FenceFailed f -> f.reason();
                default -> null;
            };
            var methods = new ArrayList<String>();
            if (h.uri() != null) fenceAgent(h.name()).ifPresent(c -> methods.add(c.agent()));
            hostRows.add(new HaStatus.HostRow(h.name(), hh.label(), detail, Math.max(0, now - hh.sinceMillis()),
                    Math.round(controller.phi(h.name()) * 10) / 10.0, h.state(), methods));
        }
        List<Vm> vms = store.vms().stream().filter(v -> !(v.state() instanceof VmState.Deleted)).toList();
        Map<String, Vm> standbyOf = new HashMap<>();
        for (Vm v : vms) HaLabels.standbyOf(v).ifPresent(p -> standbyOf.put(p.toString(), v));
        var prot = new ArrayList<HaStatus.ProtectedVm>();
        for (Vm v : vms) {
            if (v.protection() == Protection.NONE || HaLabels.isStandby(v)) continue;
            Vm sb = standbyOf.get(v.id().toString());
            var service = new ArrayList<String>();
            for (int port : v.spec().exposePorts()) endpoints.address(v.name(), port).ifPresent(a -> service.add(port + " -> " + a));
            prot.add(new HaStatus.ProtectedVm(v.name(), v.protection(), v.priority().level(), v.host(), v.state(),
                    v.protection() == Protection.STANDBY ? "primary" : null,
                    sb == null ? null : new HaStatus.Instance(sb.name(), sb.id(), sb.host(), sb.state()), service));
        }
        var admission = switch (controller.admission()) {
            case Admission.Admitted a -> new HaStatus.AdmissionView(true, null, a.reserved().cpus(), a.reserved().memoryBytes(), a.reserved().worstCase());
            case Admission.Rejected r -> new HaStatus.AdmissionView(false, r.reason(), 0, 0, r.failedHosts());
        };
        var failovers = controller.failovers().stream().map(f -> new HaStatus.FailoverView(f.host(),
                f.declaredMillis() - f.lastHeartbeatMillis(), f.fencedMillis() < 0 ? -1 : f.fencedMillis() - f.lastHeartbeatMillis(),
                f.outcome(), f.promoted(), f.restarted())).toList();
        return new HaStatus(controller.settings(), hostRows, prot, admission, failovers);
    }

    /** The service endpoint address of a standby-protected VM's guest port, if it has one. */
    public Optional<String> serviceEndpoint(String vm, int guestPort) {
        return endpoints.address(vm, guestPort);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        guestChecks.shutdownNow();
        prober.close();
        endpoints.close();
    }
}
