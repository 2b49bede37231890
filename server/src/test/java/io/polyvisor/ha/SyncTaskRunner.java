package io.polyvisor.ha;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import io.polyvisor.store.Store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * For deterministic HA tests on virtual time: runs queued CREATE, RESTART, DELETE and FENCE tasks through the
 * driver on the calling thread (FENCE as the server's TaskSteps does: force off, undefine, record vm.fenced), and observes VM power states on answering hosts, as the server's
 * lifecycle controller and host monitor do (those run on real threads and real time, which a chaos run
 * of hundreds of failures on a virtual clock cannot wait for).
 */
final class SyncTaskRunner {
    private final Store store;
    private final HostAccess hosts;
    private final EventSink events;

    SyncTaskRunner(Store store, HostAccess hosts, EventSink events) {
        this.store = store;
        this.hosts = hosts;
        this.events = events;
    }

    void runAll() {
        for (Task t : store.unfinishedTasks()) run(t);
    }

    private void run(Task t) {
        Vm vm = store.vm(t.vmId()).orElse(null);
        if (vm == null && t.kind() != Task.Kind.FENCE) {
            finish(t, Task.Status.CANCELLED, "vm gone");
            return;
        }
        try {
            switch (t.kind()) {
                case CREATE, RESTART -> {
                    String host = t.target() != null ? t.target() : vm.host();
                    HostConnection c = hosts.connect(host);
                    c.compute().define(vm.id(), vm.name(), vm.spec());
                    c.compute().start(vm.id());
                    store.updateVm(vm.withHost(host).withState(VmState.RUNNING));
                }
                case DELETE -> {
                    try {
                        HostConnection c = hosts.connect(vm.host());
                        c.compute().destroy(vm.id());
                        c.compute().undefine(vm.id());
                    } catch (DriverException e) {
                        // a failed host: its instance is gone or will be removed when it rejoins
                        if (store.host(vm.host()).map(h -> h.state() != io.polyvisor.model.HostState.FAILED).orElse(false)) throw e;
                    }
                    store.updateVm(vm.withState(vm.state().canBecome(VmState.DELETED) ? VmState.DELETED : VmState.STOPPED).withState(VmState.DELETED));
                }
                case FENCE -> {
                    HostConnection c = hosts.connect(t.target());
                    c.fencing().fenceVm(t.vmId());
                    c.compute().undefine(t.vmId());
                    String name = vm == null ? t.vmId().toString() : vm.name();
                    events.record(io.polyvisor.events.SharedEvent.VM_FENCED, name, name + " forced off on host " + t.target());
                    if (vm != null && t.target().equals(vm.host()) && !(vm.state() instanceof VmState.Failed)) {
                        store.updateVm(vm.withState(new VmState.Failed("fenced on host " + t.target())));
                    }
                }
                default -> throw new IllegalStateException("not run in HA tests: " + t.kind());
            }
            finish(t, Task.Status.SUCCEEDED, null);
        } catch (DriverException e) {
            int attempts = t.attempts() + 1;
            finish(new Task(t.id(), t.kind(), t.vmId(), t.target(), t.status(), attempts, t.error(), t.created(), t.updated(), t.result()),
                    attempts >= 3 ? Task.Status.FAILED : Task.Status.QUEUED, e.getMessage());
        }
    }

    private void finish(Task t, Task.Status status, String error) {
        store.updateTask(new Task(t.id(), t.kind(), t.vmId(), t.target(), status, t.attempts(), error, t.created(), Instant.now(), t.result()));
    }

    /** What the host monitor does: a VM that should run but is off or gone on an answering host is failed. */
    void observe() {
        Map<String, Map<UUID, PowerState>> seen = new HashMap<>();
        for (Vm vm : store.vms()) {
            if (vm.host() == null || vm.state() instanceof VmState.Deleted || vm.state() instanceof VmState.Pending) continue;
            var power = seen.computeIfAbsent(vm.host(), h -> {
                try {
                    HostConnection c = hosts.connect(h);
                    if (!c.alive()) return null;
                    Map<UUID, PowerState> m = new HashMap<>();
                    for (DomainInfo d : c.compute().list()) m.put(d.id(), d.state());
                    return m;
                } catch (RuntimeException e) {
                    return null;
                }
            });
            if (power == null) continue;
            PowerState p = power.get(vm.id());
            boolean shouldRun = vm.intent() == PowerIntent.RUNNING;
            if (shouldRun && (p == null || p == PowerState.CRASHED || p == PowerState.SHUTOFF) && vm.state() instanceof VmState.Running) {
                store.updateVm(vm.withState(new VmState.Failed("crashed on host " + vm.host())));
            }
        }
    }
}
