package io.polyvisor.lifecycle;

import io.polyvisor.events.Journal;
import io.polyvisor.feature.GuestFacets;
import io.polyvisor.drivers.Connections;
import io.polyvisor.events.SharedEvent;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.MigrationResult;
import io.polyvisor.spi.PowerState;
import io.polyvisor.store.Store;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The driver steps of each task kind. Every step is idempotent (keyed by VM UUID) and its effect is
 * recorded (VM row, event) before the next one starts, so re-running a task after a crash at any
 * point converges to the same end without duplicating a VM.
 */
final class TaskSteps {
    private final Store store;
    private final Connections conns;
    private final VmUpdates vms;
    private final Journal journal;
    private final StepHook hook;
    private final Duration stopGrace;
    private final Endpoints endpoints;
    private final VmNetworking networking;

    private final GuestFacets guest;

    TaskSteps(Store store, Connections conns, VmUpdates vms, Journal journal, StepHook hook, Duration stopGrace, GuestFacets guest,
              VmNetworking networking) {
        this.guest = guest;
        this.networking = networking;
        this.store = store;
        this.conns = conns;
        this.vms = vms;
        this.journal = journal;
        this.hook = hook;
        this.stopGrace = stopGrace;
        this.endpoints = new Endpoints(store);
    }

    /** Runs {@code t}; returns its result figures. Throws {@link DriverException} if a step failed. */
    Map<String, String> run(Task t) {
        Vm vm = store.vm(t.vmId()).orElse(null);
        if (vm == null) {
            if (t.kind() == Task.Kind.DELETE) return Map.of(); // deleted before a crash: done
            if (t.kind() == Task.Kind.FENCE && t.target() != null) return fence(t, null); // a stale instance of a deleted VM
            throw new DriverException("vm " + t.vmId() + " no longer exists");
        }
        return switch (t.kind()) {
            case CREATE -> create(t, vm);
            case START -> start(t, vm, vm.host());
            case RESTART -> start(t, vm, t.target() != null ? t.target() : vm.host());
            case STOP -> stop(t, vm);
            case REBOOT -> simple(t, vm, c -> c.reboot(vm.id()), null, LifecycleEvent.VM_REBOOTED);
            case SUSPEND -> simple(t, vm, c -> c.suspend(vm.id()), VmState.PAUSED, null);
            case RESUME -> simple(t, vm, c -> c.resume(vm.id()), VmState.RUNNING, null);
            case DELETE -> delete(t, vm);
            case MIGRATE -> migrate(t, vm);
            case FENCE -> fence(t, vm);
        };
    }

    private Map<String, String> create(Task t, Vm vm) {
        HostConnection c = conns.get(vm.host());
        DomainInfo d = define(c, vm);
        boolean starting = vm.intent() == PowerIntent.RUNNING || vm.intent() == PowerIntent.PAUSED;
        // a VM started next goes from pending to running in one write; a failed start leaves it pending (then failed)
        if (!starting || d.state() != PowerState.SHUTOFF) observe(vm.id(), Observed.afterOwnAction(d.state()), vm.host());
        hook.after(t, "define");
        if (starting) {
            c.compute().start(vm.id());
            observe(vm.id(), VmState.RUNNING, vm.host());
            hook.after(t, "start");
            endpoints.apply(vm, c);
        }
        return Map.of("host", vm.host());
    }

    /** Defines again first (a no-op if defined), so that a VM that vanished from its host comes back. */
    private Map<String, String> start(Task t, Vm vm, String host) {
        HostConnection c = conns.get(host);
        define(c, vm);
        hook.after(t, "define");
        c.compute().start(vm.id());
        change(vm.id(), v -> v.withHost(host).withState(VmState.RUNNING));
        hook.after(t, "start");
        endpoints.apply(vm, c);
        return Map.of("host", host);
    }

    /**
     * Defines {@code vm} on {@code c}'s host (a no-op if defined there). A new instance gets the features' guest data;
     * a defined one keeps its own, so a restart on the same host does not replace what the guest holds. The host is
     * made to carry the VM's private networks first.
     */
    private DomainInfo define(HostConnection c, Vm vm) {
        networking.prepare(vm, c);
        if (!guest.wanted(vm)) return c.compute().define(vm.id(), vm.name(), vm.spec());
        var existing = c.compute().lookup(vm.id());
        if (existing.isPresent()) return existing.get();
        var data = guest.forNewInstance(vm);
        store.awaitDurable(); // what the guest is handed (a coordination token) must outlive a crash of this server
        return c.compute().define(vm.id(), vm.name(), vm.spec(), data);
    }

    private Map<String, String> stop(Task t, Vm vm) {
        HostConnection c = conns.get(vm.host());
        boolean forced = "force".equals(t.target());
        if (!forced) {
            c.compute().shutdown(vm.id());
            forced = !awaitOff(c, vm.id());
        }
        if (forced) c.compute().destroy(vm.id());
        observe(vm.id(), VmState.STOPPED, vm.host());
        hook.after(t, "stop");
        return Map.of("forced", Boolean.toString(forced));
    }

    private Map<String, String> simple(Task t, Vm vm, java.util.function.Consumer<io.polyvisor.spi.Compute> call,
                                       VmState after, LifecycleEvent eventType) {
        HostConnection c = conns.get(vm.host());
        call.accept(c.compute());
        if (after != null) observe(vm.id(), after, vm.host());
        if (eventType != null) journal.record(eventType, vm.name(), vm.name() + " on host " + vm.host());
        hook.after(t, t.kind().name().toLowerCase(java.util.Locale.ROOT));
        return Map.of();
    }

    private Map<String, String> delete(Task t, Vm vm) {
        if (vm.host() != null) {
            HostConnection c = conns.get(vm.host());
            var d = c.compute().lookup(vm.id());
            boolean destroyed = false;
            if (d.isPresent() && d.get().state() != PowerState.SHUTOFF) {
                c.compute().destroy(vm.id());
                destroyed = true;
                hook.after(t, "destroy");
            }
            try {
                c.compute().undefine(vm.id());
            } catch (RuntimeException e) {
                if (destroyed) observe(vm.id(), VmState.STOPPED, vm.host()); // off, still defined: what users see until the retry
                throw e;
            }
            hook.after(t, "undefine");
        }
        // the VM's last steps in one write: removed from its host, then deleted
        store.inTransaction(tx -> {
            tx.deleteVm(vm.id());
            if (vm.host() != null) journal.record(tx, LifecycleEvent.VM_UNDEFINED, vm.name(), vm.name() + " removed from host " + vm.host());
            journal.record(tx, LifecycleEvent.VM_DELETED, vm.name(), vm.name() + " deleted");
            return null;
        });
        journal.signal();
        return Map.of();
    }

    private Map<String, String> migrate(Task t, Vm vm) {
        String to = t.target();
        if (to.equals(vm.host())) return Map.of("already_there", "true"); // finished before a crash
        HostConnection src = conns.get(vm.host());
        HostConnection dst = conns.get(to);
        if (src.compute().lookup(vm.id()).isEmpty() && dst.compute().lookup(vm.id()).isPresent()) {
            PowerState p = dst.compute().lookup(vm.id()).get().state();
            change(vm.id(), v -> v.withHost(to).withState(Observed.afterOwnAction(p)));
            return Map.of("already_there", "true");
        }
        networking.prepare(vm, dst);
        change(vm.id(), v -> v.withState(new VmState.Migrating(to)));
        hook.after(t, "migrating");
        MigrationResult r;
        try {
            r = src.migration().migrate(vm.id(), dst, new MigrationProgress(store, t));
        } catch (DriverException e) {
            // contract: on failure it still runs on the source
            PowerState p = src.compute().lookup(vm.id()).map(DomainInfo::state).orElse(null);
            change(vm.id(), v -> v.withState(p == null ? new VmState.Failed("lost during migration: " + e.getMessage())
                    : Observed.afterOwnAction(p)));
            throw e;
        }
        PowerState p = dst.compute().lookup(vm.id()).map(DomainInfo::state).orElse(PowerState.RUNNING);
        change(vm.id(), v -> v.withHost(to).withState(Observed.afterOwnAction(p)));
        hook.after(t, "migrated");
        endpoints.apply(vm, dst);
        return Map.of("progress", "1.0", "total_ms", Long.toString(r.totalMillis()), "downtime_ms", Long.toString(r.downtimeMillis()),
                "bytes_transferred", Long.toString(r.bytesTransferred()), "from", vm.host(), "to", to);
    }

    /**
     * Forces the instance off on the task's host and undefines it there: HA's crashed or hung instance before its
     * restart, or a stale instance on a fenced host that rejoins ({@code vm} null if its row is gone).
     */
    private Map<String, String> fence(Task t, Vm vm) {
        UUID id = t.vmId();
        String host = t.target() != null ? t.target() : vm.host();
        String name = vm != null ? vm.name() : id.toString();
        HostConnection c = conns.get(host);
        if (c.capabilities().contains(Capability.FENCING)) c.fencing().fenceVm(id);
        else if (c.compute().lookup(id).isPresent()) c.compute().destroy(id);
        // drop the definition too: a restart defines it again wherever it goes, and a stale definition would keep
        // a domain name that a later instance (roles swap names on failover) needs on this host
        c.compute().undefine(id);
        journal.record(SharedEvent.VM_FENCED, name, name + " forced off on host " + host + fenceReason(vm, host));
        if (vm != null && host.equals(vm.host()) && !(vm.state() instanceof VmState.Failed || vm.state() instanceof VmState.Stopped)) {
            change(vm.id(), v -> v.withState(new VmState.Failed("fenced on host " + host)));
        }
        hook.after(t, "fence");
        return Map.of("host", host);
    }

    private static String fenceReason(Vm vm, String host) {
        if (vm == null) return ": a stale instance of a deleted VM";
        if (!host.equals(vm.host())) return ": a stale instance, the VM is on host " + vm.host();
        return vm.state().detail() != null ? ": " + vm.state().detail() : "";
    }

    private boolean awaitOff(HostConnection c, UUID id) {
        long deadline = System.nanoTime() + stopGrace.toNanos();
        while (System.nanoTime() < deadline) {
            var d = c.compute().lookup(id);
            if (d.isEmpty() || d.get().state() == PowerState.SHUTOFF) return true;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted while waiting for vm to power off", true, e);
            }
        }
        return false;
    }

    private void observe(UUID id, VmState next, String host) {
        change(id, v -> v.withHost(host).withState(next));
    }

    /** Applies {@code f} to the VM row and, in the same transaction, records a vm.state event if its state changed. */
    private void change(UUID id, UnaryOperator<Vm> f) {
        vms.update(id, f, (tx, before, after) -> {
            if (!after.state().equals(before.state())) journal.vmState(tx, after, describe(after));
        }).orElseThrow(() -> new DriverException("vm " + id + " no longer exists"));
        journal.signal();
    }

    static String describe(Vm vm) {
        String s = vm.name() + " is " + vm.state().label();
        if (vm.state().detail() != null) s += vm.state() instanceof VmState.Migrating ? " to " + vm.state().detail() : ": " + vm.state().detail();
        return vm.host() != null && !(vm.state() instanceof VmState.Migrating) ? s + " on host " + vm.host() : s;
    }
}
