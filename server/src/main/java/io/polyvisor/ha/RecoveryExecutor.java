package io.polyvisor.ha;

import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskQueue;
import io.polyvisor.tasks.TaskRequest;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Carries out the VM-level actions of a {@link RecoveryPlan}: promotions (a row swap), VM fences and restarts
 * (queued as FENCE and RESTART tasks for the task executor, which alone calls the drivers for them) and reports.
 * Host fencing is {@link HostFencing}'s.
 *
 * <p>A crashed instance is restarted only once it is proven off: its FenceVm queues a FENCE task and the
 * plan's Restart of it waits; a later tick, seeing that task succeeded (the VM's latest task), queues the
 * RESTART. So the executor never needs to know that one task depends on another.
 *
 * <p>Every action re-reads the VM row first and does nothing if the row changed in a way the plan did not
 * expect (moved, deleted, busy with a task), so a stale plan is harmless: the next tick plans again.
 */
final class RecoveryExecutor {
    private final Store store;
    private final EventSink events;
    private final TaskQueue tasks;
    private final Consumer<String> primaryChanged;
    private final VmLocks locks;
    /** Reports already recorded, so a stranded VM gives one event, not one per tick. */
    private final Set<String> reported = new HashSet<>();

    /** @param primaryChanged told the name of a service whose primary instance changed (the endpoint moves) */
    RecoveryExecutor(Store store, EventSink events, TaskQueue tasks, Consumer<String> primaryChanged, VmLocks locks) {
        this.locks = locks;
        this.store = store;
        this.events = events;
        this.tasks = tasks;
        this.primaryChanged = primaryChanged;
    }

    /** Runs the plan's VM actions in order; returns the names of VMs promoted and restarted. */
    Outcome execute(RecoveryPlan plan, Set<UUID> busy) {
        var out = new Outcome(new HashSet<>(), new HashSet<>());
        Set<UUID> notOffYet = new HashSet<>();
        Set<String> stillReported = new HashSet<>();
        for (RecoveryAction a : plan.actions()) {
            switch (a) {
                case RecoveryAction.FenceHost f -> { } // HostFencing's
                case RecoveryAction.Promote p -> {
                    if (promote(p)) out.promoted().add(p.primary().name());
                }
                case RecoveryAction.FenceVm f -> {
                    if (!forcedOff(f, busy, stillReported)) notOffYet.add(f.vm().id());
                }
                case RecoveryAction.Restart r -> {
                    if (!notOffYet.contains(r.vm().id()) && !busy.contains(r.vm().id()) && restart(r)) out.restarted().add(r.vm().name());
                }
                case RecoveryAction.Unplaced u -> report(stillReported, u.vm(), HaEvent.VM_UNPLACED,
                        u.vm().name() + " cannot be restarted: " + u.reason(), "no host has room");
                case RecoveryAction.Stranded s -> report(stillReported, s.vm(), HaEvent.VM_STRANDED,
                        s.vm().name() + " is not restarted: " + s.reason() + " (it might still run there)", "host " + s.host() + " could not be fenced");
                case RecoveryAction.Unprotected u -> report(stillReported, u.vm(), HaEvent.VM_LOST,
                        u.vm().name() + " was lost with host " + u.host() + " and is not protected", "host " + u.host() + " failed");
            }
        }
        reported.retainAll(stillReported);
        return out;
    }

    record Outcome(Set<String> promoted, Set<String> restarted) {}

    private boolean promote(RecoveryAction.Promote p) {
        boolean done = locks.locked(p.primary().id(), () -> locks.locked(p.standby().id(), () -> swapRows(p)));
        if (done) {
            events.record(HaEvent.VM_FAILOVER, p.primary().name(), "standby of " + p.primary().name() + " on host " + p.standby().host()
                    + " is now the primary (" + p.reason() + "); the old primary becomes " + StandbyRollover.standbyName(p.primary().name()));
            primaryChanged.accept(p.primary().name());
        }
        return done;
    }

    private boolean swapRows(RecoveryAction.Promote p) {
        Vm primary = store.vm(p.primary().id()).orElse(null);
        Vm standby = store.vm(p.standby().id()).orElse(null);
        if (primary == null || standby == null || !primary.equals(p.primary()) || !standby.equals(p.standby())) return false;
        var pair = StandbyRollover.swap(primary, standby);
        store.inTransaction(tx -> {
            // names are unique: park the old primary under a temporary name while the standby takes its name
            tx.updateVm(new Vm(primary.id(), "ha-swap-" + primary.id().toString().substring(0, 8), primary.spec(), primary.labels(),
                    primary.protection(), primary.priority(), primary.intent(), primary.state(), primary.host(), primary.project()));
            tx.updateVm(pair.primary());
            tx.updateVm(pair.standby());
            return null;
        });
        return true;
    }

    /**
     * Whether the instance is proven off on its host: the VM's latest task is a FENCE there that succeeded. If
     * not, queues that FENCE (unless the VM is busy or its row changed since the plan) and reports one that
     * failed; the executor retries a FENCE with back-off, and a failed one is queued again.
     */
    private boolean forcedOff(RecoveryAction.FenceVm f, Set<UUID> busy, Set<String> stillReported) {
        UUID id = f.vm().id();
        if (busy.contains(id)) return false;
        Task last = store.tasks(id, null, 1).stream().findFirst().orElse(null);
        if (last != null && last.kind() == Task.Kind.FENCE && f.host().equals(last.target())) {
            if (last.status() == Task.Status.SUCCEEDED) return true;
            if (last.status() == Task.Status.FAILED) {
                String key = "vm.fence-failed/" + last.id();
                stillReported.add(key);
                if (reported.add(key)) {
                    events.record(HaEvent.VM_FENCE_FAILED, f.vm().name(), "forcing " + f.vm().name() + " off on host " + f.host()
                            + " failed, so it is not restarted: " + last.error());
                }
            }
        }
        locks.locked(id, () -> {
            if (!store.vm(id).equals(java.util.Optional.of(f.vm()))) return null;
            store.inTransaction(tx -> tasks.enqueue(tx, new TaskRequest.Fence(id, f.host())));
            return null;
        });
        return false;
    }

    private boolean restart(RecoveryAction.Restart r) {
        if (!locks.locked(r.vm().id(), () -> queueRestart(r))) return false;
        events.record(HaEvent.VM_RESTARTING, r.vm().name(), r.vm().name() + " restarting on host " + r.to() + " (priority "
                + r.vm().priority().level() + "): " + r.reason());
        return true;
    }

    private boolean queueRestart(RecoveryAction.Restart r) {
        Vm vm = store.vm(r.vm().id()).orElse(null);
        if (vm == null || !vm.equals(r.vm())) return false;
        VmState failed = new VmState.Failed(r.reason());
        store.inTransaction(tx -> {
            if (!(vm.state() instanceof VmState.Failed) && vm.state().canBecome(failed)) tx.updateVm(vm.withState(failed));
            tasks.enqueue(tx, new TaskRequest.Restart(vm.id(), r.to()));
            return null;
        });
        return true;
    }

    private void report(Set<String> still, Vm vm, HaEvent type, String message, String failReason) {
        String key = type + "/" + vm.id();
        still.add(key);
        if (!reported.add(key)) return;
        events.record(type, vm.name(), message);
        if (type == HaEvent.VM_STRANDED) return; // it may still run: its state stays unknown
        locks.locked(vm.id(), () -> {
            store.vm(vm.id()).ifPresent(cur -> {
                VmState failed = new VmState.Failed(failReason);
                if (!(cur.state() instanceof VmState.Failed) && cur.state().canBecome(failed)) store.updateVm(cur.withState(failed));
            });
            return null;
        });
    }
}
