package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.settings.SettingsStore;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.tasks.TaskRequest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The HA loop: observe host heartbeats and VM states, decide with the pure {@link RecoveryPlanner}, act.
 * One {@link #tick()} is one synchronous round; the server calls it every 100 ms, a test calls it on
 * virtual time. Heartbeats come in through {@link #heartbeat}: in the server, every answered probe of the one
 * host prober ({@link io.polyvisor.drivers.HostProber}); in tests, the test.
 *
 * <p>Safety rules it keeps (see docs/HA.md): a VM is restarted only after its old host was fenced (or its
 * instance forced off on a host that answers); a host whose fencing failed keeps its VMs, which are
 * reported, not restarted; a fenced host that answers again is cleaned of stale instances before it
 * takes VMs.
 */
public final class HaController {
    private final HaWiring w;
    private final HostWatch watch;
    private final HostFencing fencing;
    private final RecoveryExecutor executor;
    private final StandbyKeeper standbys;
    private final Fencer fencer;
    private volatile HaSettings settings = HaSettings.DEFAULTS;
    private final Deque<Failover> failovers = new ArrayDeque<>();
    private final Map<String, Failover> open = new HashMap<>();
    /** Per rejoining host, the stale instances queued for removal so far (named in its host.rejoined event). */
    private final Map<String, Set<String>> removed = new HashMap<>();
    private volatile GuestHealth guests;
    /** Standby-protected VMs seen protected since they were last reported unprotected (none reported yet: no event). */
    private final Set<UUID> seenProtected = new HashSet<>();
    /** Per standby-protected VM reported unprotected, the reason last recorded in a {@code vm.unprotected} event. */
    private final Map<UUID, String> reportedUnprotected = new HashMap<>();
    /** Per primary, why the last plan found no host to restart its standby on (read by status from API threads). */
    private volatile Map<UUID, String> unplacedStandbys = Map.of();

    public HaController(HaWiring wiring) {
        this.w = wiring;
        this.watch = new HostWatch(new PhiAccrual(wiring.detector()));
        var settings = new SettingsStore(wiring.store());
        this.fencer = new Fencer(wiring.hosts()::open, host -> settings.find(FenceConfig.key(host)), Duration.ofSeconds(30));
        this.fencing = new HostFencing(fencer, wiring.fenceExecutor());
        this.executor = new RecoveryExecutor(wiring.store(), wiring.events(), wiring.tasks(),
                wiring.primaryChanged(), wiring.locks());
        this.standbys = new StandbyKeeper(wiring.store(), wiring.placer(), wiring.events(), wiring.tasks(), wiring.locks());
    }

    /** The guest health checks whose unhealthy VMs count as crashed ({@link GuestHealth}); none by default. */
    void guestHealth(GuestHealth g) {
        this.guests = g;
    }

    public void settings(HaSettings s) {
        this.settings = s;
    }

    public HaSettings settings() {
        return settings;
    }

    /** A successful liveness probe of {@code host}, at the controller's clock. Any thread. */
    public void heartbeat(String host) {
        watch.heartbeat(host, w.clockMillis().getAsLong());
    }

    /**
     * Watches, fences and recovers only the hosts this server owns (a cluster member: their heartbeats are the ones its
     * prober sees) and the VMs on them; every host by default. A host whose owner died is not judged here until this
     * server takes its lease, and then starts with a fresh grace period: a dead server is never mistaken for dead hosts.
     */
    public void ownedHosts(io.polyvisor.drivers.HostOwnership o) {
        this.owned = o;
    }

    private volatile io.polyvisor.drivers.HostOwnership owned = io.polyvisor.drivers.HostOwnership.ALL;

    /**
     * One round over the hosts owned here. Every write it makes (host states, events, fences, the tasks it queues) is
     * fenced by the leases of those hosts at the epochs held when the round began: a server that lost any of them
     * mid-round writes nothing more of it, and the next round judges only what it still owns.
     */
    public synchronized void tick() {
        long now = w.clockMillis().getAsLong();
        List<Host> hosts = w.store().hosts().stream().filter(h -> owned.owns(h.name())).toList();
        io.polyvisor.store.WriteFence.under(owned.fence(hosts.stream().map(Host::name).toList()), () -> tick(hosts, now));
    }

    private void tick(List<Host> hosts, long now) {
        var changes = watch.observe(hosts.stream().map(Host::name).collect(Collectors.toSet()), now);
        changes.forEach((host, ch) -> healthChanged(host, ch[0], ch[1], now));
        for (var d : fencing.drain()) fenced(d.host(), d.outcome(), now);
        for (Host h : hosts) if (watch.health(h.name()) instanceof HostHealth.Rejoining) rejoin(h.name(), now);
        syncHostStates(hosts);

        var view = owned == io.polyvisor.drivers.HostOwnership.ALL ? view() : view().on(owned);
        var health = watch.all();
        var planner = new RecoveryPlanner(w.placer(), settings.fenceRetrySeconds() * 1000L);
        RecoveryPlan plan = planner.plan(view.snapshot(), health, view.crashed(health, guests == null ? Set.of() : guests.unhealthy()), now);
        for (var f : plan.only(RecoveryAction.FenceHost.class)) startFence(f, now);
        var outcome = executor.execute(plan, view.busy());
        // a VM forced off starts its health check over, unarmed, whatever the checks saw meanwhile
        if (guests != null) plan.only(RecoveryAction.FenceVm.class).forEach(f -> guests.reset(f.vm().id()));
        record(plan, outcome);
        Map<UUID, String> stuck = new HashMap<>();
        for (var u : plan.only(RecoveryAction.Unplaced.class)) HaLabels.standbyOf(u.vm()).ifPresent(p -> stuck.put(p, u.reason()));
        unplacedStandbys = Map.copyOf(stuck);
        // restarts first: a standby being built would boot beside them and compete for the same hosts
        boolean restarting = view.restarting() || !plan.only(RecoveryAction.Restart.class).isEmpty();
        standbys.maintain(schedulable(view.snapshot(), health), view.busy(), health, restarting);
        reportProtection(view.snapshot().vms(), health);
    }

    /**
     * Records when a standby-protected VM becomes unprotected ({@code vm.unprotected}, with the reason) and when it is
     * protected again ({@code vm.protected}). A VM whose first standby is still being built is not reported, unless HA
     * found no host for it.
     */
    private void reportProtection(List<Vm> vms, Map<String, HostHealth> health) {
        Map<UUID, Vm> standbyOf = standbys(vms);
        Set<UUID> primaries = new HashSet<>();
        for (Vm v : vms) {
            if (v.protection() != Protection.STANDBY || HaLabels.isStandby(v)) continue;
            primaries.add(v.id());
            Vm sb = standbyOf.get(v.id());
            var why = PairProtection.unprotected(v, sb, health, unplaced(v.id()));
            if (why.isEmpty()) {
                if (reportedUnprotected.remove(v.id()) != null && sb != null) {
                    w.events().record(HaEvent.VM_PROTECTED, v.name(), v.name() + " is protected again: its standby " + sb.name()
                            + " runs on host " + sb.host());
                }
                if (v.intent() == PowerIntent.RUNNING) seenProtected.add(v.id());
                continue;
            }
            boolean report = seenProtected.contains(v.id()) || reportedUnprotected.containsKey(v.id()) || unplaced(v.id()) != null;
            if (report && !why.get().equals(reportedUnprotected.get(v.id()))) {
                reportedUnprotected.put(v.id(), why.get());
                seenProtected.remove(v.id());
                w.events().record(HaEvent.VM_UNPROTECTED, v.name(), v.name() + " is unprotected: " + why.get());
            }
        }
        seenProtected.retainAll(primaries);
        reportedUnprotected.keySet().retainAll(primaries);
    }

    /** Each primary's standby instance among {@code vms} (deleted ones left out), by the primary's id. */
    static Map<UUID, Vm> standbys(List<Vm> vms) {
        Map<UUID, Vm> out = new HashMap<>();
        for (Vm v : vms) {
            if (!(v.state() instanceof VmState.Deleted) && v.intent() != PowerIntent.DELETED) HaLabels.standbyOf(v).ifPresent(p -> out.put(p, v));
        }
        return out;
    }

    /** Why {@code primary} (standby-protected) is unprotected now, or empty: {@link PairProtection} with HA's health and placement findings. */
    public java.util.Optional<String> unprotected(Vm primary, Vm standby) {
        return PairProtection.unprotected(primary, standby, watch.all(), unplaced(primary.id()))
                .or(() -> LocalDisks.notRestartable(primary));
    }

    /** Why HA found no host for {@code primary}'s standby (to build it, or to restart it), or null. */
    private String unplaced(UUID primary) {
        String build = standbys.unplaced(primary);
        return build != null ? build : unplacedStandbys.get(primary);
    }

    private void healthChanged(String host, HostHealth before, HostHealth after, long now) {
        switch (after) {
            case HostHealth.Suspect s -> w.events().record(HaEvent.HOST_SUSPECT, host, "host " + host + " is late with heartbeats (phi "
                    + String.format("%.1f", watch.phi(host, now)) + "); it takes no new VMs");
            case HostHealth.Unreachable u -> {
                long last = watch.lastHeartbeat(host);
                w.events().record(HaEvent.HOST_UNREACHABLE, host, "host " + host + " is unreachable: "
                        + (last < 0 ? "no heartbeat since it was added" : "no heartbeat for " + (now - last) + " ms")
                        + "; it is fenced before any of its VMs restart elsewhere");
                open.put(host, new Failover(host, watch.lastHeartbeat(host), now, -1, "fencing", List.of(), List.of()));
            }
            case HostHealth.Healthy h -> {
                if (before instanceof HostHealth.Suspect || before instanceof HostHealth.Unreachable) {
                    w.events().record(HaEvent.HOST_HEALTHY, host, "host " + host + " answers again; nothing was done to it");
                    open.remove(host);
                }
            }
            case HostHealth.Rejoining r -> w.events().record(HaEvent.HOST_REJOINING, host, "host " + host + " answers again after "
                    + before.label() + "; removing stale instances before it takes VMs");
            default -> { }
        }
    }

    private void startFence(RecoveryAction.FenceHost f, long now) {
        if (!fencing.start(f.host())) return;
        watch.set(f.host(), new HostHealth.Fencing(now));
        var methods = fencer.methods(f.host()).stream().map(FenceMethod::name).toList();
        w.events().record(HaEvent.HOST_FENCING, f.host(), "fencing host " + f.host() + (f.retry() ? " again" : "") + " with "
                + (methods.isEmpty() ? "no method available" : String.join(", then ", methods))
                + (f.vms().isEmpty() ? "" : "; VMs on it: " + String.join(", ", f.vms())));
    }

    private void fenced(String host, FenceOutcome outcome, long now) {
        HostHealth next = HostHealth.afterFence(outcome, now);
        watch.set(host, next);
        switch (outcome) {
            case FenceOutcome.Fenced f -> w.events().record(HaEvent.HOST_FENCED, host, "host " + host + " fenced by " + f.method()
                    + "; its protected VMs restart elsewhere");
            case FenceOutcome.Failed f -> w.events().record(HaEvent.HOST_FENCE_FAILED, host, "fencing host " + host + " failed: "
                    + f.reason() + "; its VMs are not restarted");
        }
        open.computeIfPresent(host, (h, fo) -> fo.withFence(now, next.label()));
    }

    /**
     * A fenced host answers again. Instances it still defines that now belong elsewhere (or nowhere) are removed
     * by the task executor, one FENCE task each; the host stays Rejoining until its list shows none, then takes
     * VMs again.
     */
    private void rejoin(String host, long now) {
        try {
            HostConnection c = w.hosts().connect(host);
            Set<UUID> mine = w.store().vmsOnHost(host).stream().filter(v -> !(v.state() instanceof VmState.Deleted))
                    .map(Vm::id).collect(Collectors.toSet());
            var stale = c.compute().list().stream().filter(d -> !mine.contains(d.id())).toList();
            if (!stale.isEmpty()) {
                Set<UUID> removing = w.store().unfinishedTasks().stream()
                        .filter(t -> t.kind() == Task.Kind.FENCE && host.equals(t.target())).map(Task::vmId).collect(Collectors.toSet());
                for (DomainInfo d : stale) {
                    removed.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(d.name());
                    if (!removing.contains(d.id())) w.store().inTransaction(tx -> w.tasks().enqueue(tx, new TaskRequest.Fence(d.id(), host)));
                }
                return;
            }
            var names = removed.getOrDefault(host, Set.of());
            watch.set(host, new HostHealth.Healthy(now));
            w.events().record(HaEvent.HOST_REJOINED, host, "host " + host + " is back" + (names.isEmpty() ? ""
                    : "; removed stale instances " + String.join(", ", names)));
            removed.remove(host);
            open.remove(host);
        } catch (RuntimeException e) {
            // stays Rejoining; tried again next tick
        }
    }

    /**
     * HA owns only the FAILED state: it sets it when a host is fenced (or its fencing failed) and lifts it when
     * the host has rejoined. Connected/disconnected belong to the host monitor, which records those changes
     * and marks the VMs of an unreachable host unknown.
     */
    private void syncHostStates(List<Host> hosts) {
        for (Host h : hosts) {
            HostState want = switch (watch.health(h.name())) {
                case HostHealth.Healthy x -> h.state() == HostState.FAILED ? HostState.CONNECTED : null;
                case HostHealth.Suspect x -> null;
                case HostHealth.Unreachable x -> null;
                case HostHealth.Fencing x -> null;
                case HostHealth.Dead x -> HostState.FAILED;
                case HostHealth.FenceFailed x -> HostState.FAILED;
                case HostHealth.Rejoining x -> HostState.FAILED;
            };
            if (want != null && want != h.state()) w.store().updateHost(h.withState(want));
        }
    }

    /** The VMs as HA must see them: deleted ones dropped, in-flight restarts already on their target. */
    private View view() {
        var unfinished = w.store().unfinishedTasks();
        Map<UUID, String> restartTargets = restartTargets(unfinished);
        Set<UUID> busy = unfinished.stream().map(Task::vmId).collect(Collectors.toSet());
        var snapshot = AdmittingPlacer.view(ClusterSnapshot.of(w.store().hosts(), w.store().vms()), restartTargets);
        return new View(snapshot, busy, !restartTargets.isEmpty());
    }

    /** VMs whose HA restart is queued or running, and the host each is going to. */
    static Map<UUID, String> restartTargets(List<Task> unfinished) {
        Map<UUID, String> out = new HashMap<>();
        for (Task t : unfinished) {
            if (t.kind() == Task.Kind.RESTART && t.target() != null) out.put(t.vmId(), t.target());
        }
        return out;
    }

    private record View(ClusterSnapshot snapshot, Set<UUID> busy, boolean restarting) {
        /** Only the VMs on hosts {@code owned} owns (every host stays a placement target). */
        View on(io.polyvisor.drivers.HostOwnership owned) {
            var vms = snapshot.vms().stream().filter(v -> v.host() != null && owned.owns(v.host())).toList();
            return new View(new ClusterSnapshot(snapshot.hosts(), vms, snapshot.usage()), busy, restarting);
        }

        /**
         * Protected instances that failed on a host that answers and have no task that would handle them; also
         * standby instances whose creation failed (Polyvisor built them, so it retries them elsewhere).
         */
        Set<UUID> crashed(Map<String, HostHealth> health, Set<UUID> unhealthyGuests) {
            Set<UUID> out = new HashSet<>();
            for (Vm v : snapshot.vms()) {
                boolean prot = v.protection() != Protection.NONE || HaLabels.isStandby(v);
                boolean down = v.state() instanceof VmState.Failed || HaLabels.isStandby(v) && v.state() instanceof VmState.Pending
                        || v.state() instanceof VmState.Running && unhealthyGuests.contains(v.id());
                if (prot && v.intent() == PowerIntent.RUNNING && down && !busy.contains(v.id())
                        && v.host() != null && health.getOrDefault(v.host(), new HostHealth.Healthy(0)) instanceof HostHealth.Healthy) {
                    out.add(v.id());
                }
            }
            return out;
        }
    }

    static ClusterSnapshot schedulable(ClusterSnapshot s, Map<String, HostHealth> health) {
        var hosts = s.hosts().stream().map(h -> health.getOrDefault(h.name(), new HostHealth.Healthy(0)).schedulable() || !h.state().schedulable()
                ? h : h.withState(HostState.DISCONNECTED)).toList();
        return new ClusterSnapshot(hosts, s.vms(), s.usage());
    }

    private void record(RecoveryPlan plan, RecoveryExecutor.Outcome outcome) {
        for (var p : plan.only(RecoveryAction.Promote.class)) {
            if (outcome.promoted().contains(p.primary().name())) open.computeIfPresent(p.primary().host(), (h, f) -> f.withPromoted(p.primary().name()));
        }
        for (var r : plan.only(RecoveryAction.Restart.class)) {
            if (outcome.restarted().contains(r.vm().name())) open.computeIfPresent(r.from(), (h, f) -> f.withRestarted(r.vm().name()));
        }
        for (var e : List.copyOf(open.entrySet())) {
            if (e.getValue().fencedMillis() >= 0) {
                synchronized (failovers) {
                    failovers.removeIf(f -> f.host().equals(e.getKey()) && f.declaredMillis() == e.getValue().declaredMillis());
                    failovers.addFirst(e.getValue());
                    while (failovers.size() > 20) failovers.removeLast();
                }
            }
        }
    }

    /** Health per host, for status. */
    public Map<String, HostHealth> health() {
        return watch.all();
    }

    public double phi(String host) {
        return watch.phi(host, w.clockMillis().getAsLong());
    }

    /** ms since {@code host}'s last heartbeat, or null when it has sent none since it was added (or this server started). */
    public Long heartbeatAge(String host) {
        long last = watch.lastHeartbeat(host);
        return last < 0 ? null : Math.max(0, w.clockMillis().getAsLong() - last);
    }

    /** Recent host failures, newest first (at most 20). */
    public List<Failover> failovers() {
        synchronized (failovers) {
            return List.copyOf(failovers);
        }
    }

    /** Admission control over the cluster as it is now. */
    public Admission admission() {
        // host states as stored (a briefly suspect host still counts as a host for the promise)
        return new AdmissionControl(new RecoveryPlanner(w.placer(), 0)).check(view().snapshot(), settings);
    }

    /** Would admitting {@code vm} on {@code host} keep the "tolerate N host failures" promise? (What the create path's placer decides.) */
    public Admission admit(Vm vm, String host) {
        return new AdmittingPlacer(w.placer(), settings, Map.of()).admit(view().snapshot(), vm, host);
    }
}
