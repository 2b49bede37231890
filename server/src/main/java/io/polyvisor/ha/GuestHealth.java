package io.polyvisor.ha;

import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guest heartbeats by HTTP health check, for running VMs labelled {@link HaLabels#HEALTH_HTTP}. A check is
 * armed by the first success after the VM (re)started on a host, so a booting guest is never declared dead;
 * once armed, {@link #FAILURES} failures in a row make the VM unhealthy, which HA treats like a crash.
 * {@link #check} is one round; the server runs it every 500 ms on its own thread.
 */
final class GuestHealth {
    static final int FAILURES = 3;

    private record Track(String host, boolean armed, int failures) {}

    private final Store store;
    private final GuestProbe probe;
    private final Map<UUID, Track> tracks = new ConcurrentHashMap<>();
    private final Set<UUID> unhealthy = ConcurrentHashMap.newKeySet();

    GuestHealth(Store store, GuestProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    void check() {
        Set<UUID> seen = new HashSet<>();
        for (Vm vm : store.vms()) {
            var port = HaLabels.healthHttpPort(vm);
            if (port.isEmpty() || !(vm.state() instanceof VmState.Running) || vm.host() == null) continue;
            Integer hostPort = store.endpoints(vm.id()).get(port.get());
            if (hostPort == null) continue;
            seen.add(vm.id());
            Track t = tracks.get(vm.id());
            if (t == null || !t.host().equals(vm.host())) t = new Track(vm.host(), false, 0);
            boolean ok = probe.healthy(hostPort);
            t = ok ? new Track(t.host(), true, 0) : t.armed() ? new Track(t.host(), true, t.failures() + 1) : t;
            tracks.put(vm.id(), t);
            if (t.armed() && t.failures() >= FAILURES) unhealthy.add(vm.id());
            else unhealthy.remove(vm.id());
        }
        // a VM no longer running (forced off, restarting) starts over unarmed
        tracks.keySet().retainAll(seen);
        unhealthy.retainAll(seen);
    }

    /** Forgets what was seen of {@code vm} (it was forced off and restarts): its check starts over, unarmed. */
    void reset(UUID vm) {
        tracks.remove(vm);
        unhealthy.remove(vm);
    }

    /** VMs whose armed health check failed {@link #FAILURES} times in a row. */
    Set<UUID> unhealthy() {
        return Set.copyOf(unhealthy);
    }
}
