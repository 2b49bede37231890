package io.polyvisor.ha;

import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.Placer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides what high availability does next, from an immutable view of the cluster. Pure: no I/O, no clock.
 *
 * <p>Guarantees of every plan:
 * <ul>
 *   <li>a VM is restarted only if its host is {@link HostHealth.Dead} (fenced) or the VM itself is fenced first
 *       by a {@link RecoveryAction.FenceVm} earlier in the same plan; never a VM of an unreachable,
 *       fencing or fence-failed host;</li>
 *   <li>restarts go through the {@link Placer} against a snapshot that already holds every earlier restart
 *       of the plan, so the plan as a whole never overcommits a host the placer would not;</li>
 *   <li>a standby never lands on its primary's host, nor a primary on its standby's;</li>
 *   <li>order: promotions (fast, no capacity needed), fences, then restarts by priority (5 first), start
 *       order (lower first) and name, standby rebuilds after all primaries; then reports.</li>
 * </ul>
 */
public final class RecoveryPlanner {
    private final Placer placer;
    private final long fenceRetryMillis;

    /** @param fenceRetryMillis how long a host stays FenceFailed before fencing is tried again */
    public RecoveryPlanner(Placer placer, long fenceRetryMillis) {
        this.placer = placer;
        this.fenceRetryMillis = fenceRetryMillis;
    }

    /**
     * @param health     per host name; hosts absent are Healthy
     * @param crashedVms instances that crashed or failed their guest health check on an answering host
     */
    public RecoveryPlan plan(ClusterSnapshot snapshot, Map<String, HostHealth> health, Set<UUID> crashedVms, long nowMillis) {
        var work = new Working(snapshot, health);
        var actions = new ArrayList<RecoveryAction>();
        promoteStandbys(work, crashedVms, actions);
        fenceHosts(work, nowMillis, actions);
        var reports = new ArrayList<RecoveryAction>();
        List<Vm> toRestart = new ArrayList<>();
        for (Vm vm : work.vms.values()) {
            if (!shouldRun(vm) || vm.host() == null) continue;
            boolean protectedVm = vm.protection() != Protection.NONE || HaLabels.isStandby(vm);
            HostHealth h = work.health(vm.host());
            if (h instanceof HostHealth.Dead) {
                if (protectedVm) toRestart.add(vm);
                else if (!(vm.state() instanceof VmState.Failed)) reports.add(new RecoveryAction.Unprotected(vm, vm.host()));
            } else if (h instanceof HostHealth.FenceFailed f) {
                if (protectedVm) reports.add(new RecoveryAction.Stranded(vm, vm.host(), "host " + vm.host() + " could not be fenced: " + f.reason()));
            } else if (crashedVms.contains(vm.id()) && protectedVm && h instanceof HostHealth.Healthy) {
                actions.add(new RecoveryAction.FenceVm(vm, vm.host(), "instance crashed or failed its health check"));
                toRestart.add(vm);
            }
        }
        toRestart.sort(RESTART_ORDER);
        for (Vm vm : toRestart) restart(work, vm, actions, reports);
        actions.addAll(reports);
        return new RecoveryPlan(actions);
    }

    /** Restart order: primaries before standby rebuilds, then priority 5 first, start order, name. */
    static final Comparator<Vm> RESTART_ORDER = Comparator.<Vm>comparingInt(v -> HaLabels.isStandby(v) ? 1 : 0)
            .thenComparing(Vm::priority, Comparator.reverseOrder())
            .thenComparingInt(HaLabels::startOrder)
            .thenComparing(Vm::name);

    static boolean shouldRun(Vm vm) {
        return (vm.intent() == PowerIntent.RUNNING || vm.intent() == PowerIntent.PAUSED)
                && !(vm.state() instanceof VmState.Deleted);
    }

    private void promoteStandbys(Working work, Set<UUID> crashed, List<RecoveryAction> actions) {
        for (Vm standby : List.copyOf(work.vms.values())) {
            var primaryId = HaLabels.standbyOf(standby);
            if (primaryId.isEmpty()) continue;
            Vm primary = work.vms.get(primaryId.get());
            if (primary == null || !shouldRun(primary) || primary.host() == null || standby.host() == null) continue;
            var reason = StandbyRollover.shouldPromote(primary, standby, work.health(primary.host()),
                    work.health(standby.host()), crashed.contains(primary.id()), crashed.contains(standby.id()));
            if (reason.isEmpty()) continue;
            actions.add(new RecoveryAction.Promote(primary, standby, reason.get()));
            var pair = StandbyRollover.swap(primary, standby);
            work.vms.put(pair.primary().id(), pair.primary());
            work.vms.put(pair.standby().id(), pair.standby());
        }
    }

    private void fenceHosts(Working work, long now, List<RecoveryAction> actions) {
        for (Host host : work.hosts) {
            HostHealth h = work.health(host.name());
            boolean retry = h instanceof HostHealth.FenceFailed f && now - f.sinceMillis() >= fenceRetryMillis;
            if (h instanceof HostHealth.Unreachable || retry) {
                List<String> names = work.vms.values().stream().filter(v -> host.name().equals(v.host()) && shouldRun(v))
                        .map(Vm::name).sorted().toList();
                // Fencing exists to make restarts safe. A host with nothing to restart is left alone: fencing a
                // healthy host that is merely slow to send its first heartbeats would only do harm.
                if (names.isEmpty() && !retry) continue;
                actions.add(new RecoveryAction.FenceHost(host.name(), names, retry));
            }
        }
    }

    private void restart(Working work, Vm vm, List<RecoveryAction> actions, List<RecoveryAction> reports) {
        Set<String> exclude = new HashSet<>();
        Vm partner = work.partnerOf(vm);
        if (partner != null && partner.host() != null) exclude.add(partner.host());
        boolean hostDead = work.health(vm.host()) instanceof HostHealth.Dead;
        if (hostDead) exclude.add(vm.host());
        var result = placer.place(work.snapshot(), new PlacementRequest(vm, null, exclude));
        switch (result) {
            case Placement.Placed p -> {
                String reason = hostDead ? "host " + vm.host() + " fenced" : "instance on " + vm.host() + " fenced after a crash";
                actions.add(new RecoveryAction.Restart(vm, vm.host(), p.host(), reason));
                work.vms.put(vm.id(), vm.withHost(p.host()));
            }
            case Placement.Rejected r -> reports.add(new RecoveryAction.Unplaced(vm, vm.host(), r.reason(), r.resolvable()));
        }
    }

    /** The plan's evolving view: VMs move as restarts are decided; unhealthy hosts are unschedulable. */
    private static final class Working {
        final List<Host> hosts;
        final Map<UUID, Vm> vms = new LinkedHashMap<>();
        final Map<String, HostHealth> health;

        Working(ClusterSnapshot s, Map<String, HostHealth> health) {
            this.health = new HashMap<>(health);
            this.hosts = s.hosts().stream()
                    .map(h -> health(h.name()).schedulable() || !h.state().schedulable() ? h : h.withState(HostState.DISCONNECTED))
                    .toList();
            s.vms().forEach(v -> vms.put(v.id(), v));
        }

        HostHealth health(String host) {
            var h = health.get(host);
            return h == null ? new HostHealth.Healthy(0) : h;
        }

        /** The other instance of a standby pair, or null. */
        Vm partnerOf(Vm vm) {
            var primary = HaLabels.standbyOf(vm);
            if (primary.isPresent()) return vms.get(primary.get());
            if (vm.protection() != Protection.STANDBY) return null;
            for (Vm v : vms.values()) {
                if (HaLabels.standbyOf(v).filter(vm.id()::equals).isPresent() && shouldRun(v)) return v;
            }
            return null;
        }

        ClusterSnapshot snapshot() {
            return ClusterSnapshot.of(hosts, List.copyOf(vms.values()));
        }
    }
}
