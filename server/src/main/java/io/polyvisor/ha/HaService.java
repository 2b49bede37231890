package io.polyvisor.ha;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.Placer;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.store.Store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HA routes ask of high availability: the cluster settings ({@link HaSettingsDocument}), per-host fence
 * agents ({@link FenceConfig#key}), the status view, and the placers of the create path ({@link #admitting}). It
 * builds nothing: {@link HaFeature} hands it its parts. Stored settings that are invalid stop it at construction.
 */
public final class HaService {
    private final Store store;
    private final SettingsStore settings;
    private final HaController controller;
    private final EventSink events;
    private final ServiceEndpoints endpoints;

    HaService(Store store, SettingsStore settings, EventSink events, HaController controller, ServiceEndpoints endpoints) {
        this.store = store;
        this.settings = settings;
        this.events = events;
        this.endpoints = endpoints;
        this.controller = controller;
        this.controller.settings(settings.load(HaSettingsDocument.KEY));
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
    /**
     * Sets (or, with null, removes) the host's fence agent. An agent given by absolute path must pass {@link AgentTrust}
     * now (422 otherwise); one given by name is looked up, and checked, when it runs.
     */
    public void putFenceAgent(String host, FenceConfig config) {
        if (config != null && Path.of(config.agent()).isAbsolute()) {
            AgentTrust.refusal(Path.of(config.agent())).ifPresent(why -> {
                throw new InvalidInput(why);
            });
        }
        if (config == null) settings.clear(FenceConfig.key(host));
        else settings.save(FenceConfig.key(host), config);
        events.record(HaEvent.HA_FENCE_AGENT, host, config == null ? "fence agent of host " + host + " removed"
                : "host " + host + " is fenced with " + config.agent() + " " + config.redacted());
    }

    /**
     * The placers the VM create path uses, one per request, built just before it places: {@code placer}, then admission
     * control on its choice ({@link AdmittingPlacer}; a refusal is a placement rejection, 422 with the reason). The
     * settings and the HA restarts in flight are read here, when the placer is built, so that placing reads nothing.
     */
    public Supplier<Placer> admitting(Placer placer) {
        return () -> {
            HaSettings s = controller.settings();
            // where restarts go only matters to a promise to tolerate failures: no task read per create otherwise
            return new AdmittingPlacer(placer, s, s.tolerateHostFailures() == 0 ? Map.of() : HaController.restartTargets(store.unfinishedTasks()));
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
                    Math.round(controller.phi(h.name()) * 10) / 10.0, controller.heartbeatAge(h.name()), h.state(), methods));
        }
        List<Vm> vms = store.vms().stream().filter(v -> !(v.state() instanceof VmState.Deleted)).toList();
        Map<java.util.UUID, Vm> standbyOf = HaController.standbys(vms);
        var prot = new ArrayList<HaStatus.ProtectedVm>();
        for (Vm v : vms) {
            if (v.protection() == Protection.NONE || HaLabels.isStandby(v)) continue;
            Vm sb = standbyOf.get(v.id());
            var service = new ArrayList<String>();
            for (int port : v.spec().exposePorts()) endpoints.address(v.name(), port).ifPresent(a -> service.add(port + " -> " + a));
            prot.add(new HaStatus.ProtectedVm(v.name(), v.protection(), v.priority().level(), v.host(), v.state(),
                    v.protection() == Protection.STANDBY ? "primary" : null,
                    sb == null ? null : new HaStatus.Instance(sb.name(), sb.id(), sb.host(), sb.state()), service,
                    controller.unprotected(v, sb).orElse(null)));
        }
        var admission = switch (controller.admission()) {
            case Admission.Admitted a -> new HaStatus.AdmissionView(true, null, a.reserved().cpus(), a.reserved().memoryBytes(), a.reserved().worstCase());
            case Admission.Rejected r -> new HaStatus.AdmissionView(false, r.reason(), 0, 0, r.failedHosts());
        };
        var failovers = controller.failovers().stream().map(f -> new HaStatus.FailoverView(f.host(),
                f.lastHeartbeatMillis() < 0 ? -1 : f.declaredMillis() - f.lastHeartbeatMillis(),
                f.fencedMillis() < 0 || f.lastHeartbeatMillis() < 0 ? -1 : f.fencedMillis() - f.lastHeartbeatMillis(),
                f.outcome(), f.promoted(), f.restarted())).toList();
        return new HaStatus(controller.settings(), hostRows, prot, admission, failovers);
    }

    /** The service endpoint address of a standby-protected VM's guest port, if it has one. */
    public Optional<String> serviceEndpoint(String vm, int guestPort) {
        return endpoints.address(vm, guestPort);
    }
}
