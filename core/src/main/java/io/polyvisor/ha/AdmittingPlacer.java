package io.polyvisor.ha;

import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.Placer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Placement of new VMs under admission control: {@code inner} chooses a host, then the "tolerate N host failures"
 * promise ({@link AdmissionControl}) is checked with the VM there, and for a standby-protected VM with its standby
 * where HA would build it. A broken promise is a placement rejection users read (a 422 with the reason).
 *
 * <p>Pure, like every {@link Placer}: a function of the snapshot, the request and what it was built with. What it
 * needs beyond the snapshot, the settings and where HA restarts in flight are going, is read by the caller just
 * before placing and handed in here as values.
 *
 * @param restartingTo VMs with an HA restart queued or running, and the host each goes to: they count there
 */
public record AdmittingPlacer(Placer inner, HaSettings settings, Map<UUID, String> restartingTo) implements Placer {
    public AdmittingPlacer {
        restartingTo = Map.copyOf(restartingTo);
    }

    /** Only a new VM (pending) is checked; a placement for anything else (a migration's destination) is {@code inner}'s. */
    @Override
    public Placement place(ClusterSnapshot snapshot, PlacementRequest request) {
        Placement p = inner.place(snapshot, request);
        if (!(p instanceof Placement.Placed placed) || !(request.vm().state() instanceof VmState.Pending)) return p;
        // no promise to keep and no standby to fit: admitted, without copying the cluster (every create comes here)
        if (settings.tolerateHostFailures() == 0 && request.vm().protection() != Protection.STANDBY) return p;
        return switch (admit(view(snapshot, restartingTo), request.vm(), placed.host())) {
            case Admission.Admitted a -> p;
            case Admission.Rejected r -> new Placement.Rejected(r.reason(), Map.of("admission", 1), true);
        };
    }

    /**
     * The cluster as HA counts it: deleted VMs left out, VMs being restarted ({@code restartingTo}) on their target
     * host, no measured usage.
     */
    public static ClusterSnapshot view(ClusterSnapshot snapshot, Map<UUID, String> restartingTo) {
        var vms = new ArrayList<Vm>();
        for (Vm v : snapshot.vms()) {
            if (v.state() instanceof VmState.Deleted) continue;
            String to = restartingTo.get(v.id());
            vms.add(to != null ? v.withHost(to) : v);
        }
        return ClusterSnapshot.of(snapshot.hosts(), vms);
    }

    /** Would admitting {@code vm} on {@code host} keep the promise, in {@code view} (a snapshot as {@link #view} gives)? */
    public Admission admit(ClusterSnapshot view, Vm vm, String host) {
        var control = new AdmissionControl(new RecoveryPlanner(inner, 0));
        if (vm.protection() != Protection.STANDBY) return control.admit(view, settings, vm, host);
        // the standby instance is reserved too: add it where the placer would put it (its id only names it here)
        var standby = StandbyRollover.newStandby(vm.withHost(host),
                UUID.nameUUIDFromBytes(("standby of " + vm.id()).getBytes(StandardCharsets.UTF_8)));
        var vms = new ArrayList<>(view.vms());
        vms.add(vm.withHost(host));
        var placed = inner.place(new ClusterSnapshot(view.hosts(), vms, view.usage()), new PlacementRequest(standby, null, Set.of(host)));
        if (!(placed instanceof Placement.Placed p)) {
            return new Admission.Rejected("no host for the standby of " + vm.name() + " away from " + host + ": "
                    + ((Placement.Rejected) placed).reason(), List.of(), List.of(vm.name()));
        }
        vms.add(standby.withHost(p.host()));
        return control.check(new ClusterSnapshot(view.hosts(), vms, view.usage()), settings);
    }
}
