package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.placement.ClusterSnapshot;
import io.polyvisor.placement.Placement;
import io.polyvisor.placement.PlacementRequest;
import io.polyvisor.placement.Placer;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskQueue;
import io.polyvisor.tasks.TaskRequest;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps one standby instance per running standby-protected VM: builds a missing one (a new row with its own
 * UUID, placed away from the primary, created by the lifecycle controller), and deletes a standby whose
 * primary is gone, being deleted or no longer standby-protected.
 */
final class StandbyKeeper {
    private final Store store;
    private final Placer placer;
    private final EventSink events;
    private final TaskQueue tasks;
    private final VmLocks locks;
    /** Primaries whose missing standby found no host, with the placer's reason (read by status from API threads). */
    private final Map<UUID, String> unplaced = new java.util.concurrent.ConcurrentHashMap<>();

    StandbyKeeper(Store store, Placer placer, EventSink events, TaskQueue tasks, VmLocks locks) {
        this.locks = locks;
        this.store = store;
        this.placer = placer;
        this.events = events;
        this.tasks = tasks;
    }

    /**
     * @param schedulable the snapshot with unhealthy hosts already marked unschedulable
     * @param restarting  HA restarts are planned or running: no new standby is built until they are done (a
     *                    restarted VM serves nobody until it boots; a missing standby only lowers protection)
     */
    void maintain(ClusterSnapshot schedulable, Set<UUID> busy, Map<String, HostHealth> health, boolean restarting) {
        var placedSoFar = new java.util.ArrayList<>(schedulable.vms()); // each new standby counts for the next placement
        Set<UUID> covered = new HashSet<>();
        for (Vm v : schedulable.vms()) HaLabels.standbyOf(v).ifPresent(covered::add);
        for (Vm standby : schedulable.vms()) {
            var primaryId = HaLabels.standbyOf(standby);
            if (primaryId.isEmpty() || busy.contains(standby.id()) || standby.intent() == PowerIntent.DELETED) continue;
            Vm primary = schedulable.vms().stream().filter(v -> v.id().equals(primaryId.get())).findFirst().orElse(null);
            if (primary == null || primary.intent() == PowerIntent.DELETED || primary.protection() != Protection.STANDBY) {
                if (!queueDelete(standby)) continue;
                events.record(HaEvent.VM_STANDBY, standby.name(), "standby " + standby.name() + " deleted: its primary is gone or no longer standby-protected");
            } else if (standby.host() != null && standby.host().equals(primary.host()) && !busy.contains(primary.id())) {
                // placement never does this; a pair found together (older versions did) loses the standby, rebuilt elsewhere
                if (!queueDelete(standby)) continue;
                events.record(HaEvent.VM_STANDBY, primary.name(), "standby " + standby.name() + " deleted: it shared host " + primary.host()
                        + " with " + primary.name() + "; a new one is built on another host once it is gone");
            }
        }
        for (Vm primary : restarting ? java.util.List.<Vm>of() : schedulable.vms()) {
            if (primary.protection() != Protection.STANDBY || HaLabels.isStandby(primary) || covered.contains(primary.id())
                    || primary.intent() != PowerIntent.RUNNING || !(primary.state() instanceof VmState.Running)
                    || busy.contains(primary.id()) || !(health.getOrDefault(primary.host(), new HostHealth.Healthy(0)) instanceof HostHealth.Healthy)) {
                continue;
            }
            Vm standby = StandbyRollover.newStandby(primary, UUID.randomUUID());
            var placed = placer.place(new ClusterSnapshot(schedulable.hosts(), placedSoFar, schedulable.usage()),
                    new PlacementRequest(standby, null, Set.of(primary.host())));
            switch (placed) {
                case Placement.Placed p -> {
                    unplaced.remove(primary.id());
                    insert(standby.withHost(p.host()));
                    placedSoFar.add(standby.withHost(p.host()));
                    events.record(HaEvent.VM_STANDBY, primary.name(), "standby " + standby.name() + " of " + primary.name()
                            + " is being built on host " + p.host());
                }
                case Placement.Rejected r -> {
                    if (unplaced.put(primary.id(), r.reason()) == null) {
                        events.record(HaEvent.VM_STANDBY_UNPLACED, primary.name(), "no host for the standby of " + primary.name() + ": " + r.reason());
                    }
                }
            }
        }
    }

    /** Why no host was found for {@code primary}'s missing standby, or null. */
    String unplaced(UUID primary) {
        return unplaced.get(primary);
    }

    private void insert(Vm standby) {
        store.inTransaction(tx -> {
            tx.insertVm(standby);
            tasks.enqueue(tx, new TaskRequest.Create(standby.id(), standby.host()));
            return null;
        });
    }

    /** Queues a DELETE of the standby if its row is still as seen; returns whether it did. */
    private boolean queueDelete(Vm seen) {
        return locks.locked(seen.id(), () -> {
            Vm cur = store.vm(seen.id()).orElse(null);
            if (cur == null || !cur.equals(seen)) return false;
            store.inTransaction(tx -> {
                tx.updateVm(cur.withIntent(PowerIntent.DELETED));
                tasks.enqueue(tx, new TaskRequest.Delete(cur.id()));
                return null;
            });
            return true;
        });
    }
}
