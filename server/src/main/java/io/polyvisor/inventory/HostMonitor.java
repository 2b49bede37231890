package io.polyvisor.inventory;

import io.polyvisor.drivers.UsageView;
import io.polyvisor.drivers.Connections;
import io.polyvisor.drivers.HostProber;
import io.polyvisor.events.Journal;
import io.polyvisor.lifecycle.Observed;
import io.polyvisor.lifecycle.VmUpdates;
import io.polyvisor.model.Host;
import io.polyvisor.model.HostState;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Observes hosts and their VMs and records what it sees.
 *
 * <p>Every {@code interval} it reads each host's liveness from the {@link HostProber} (the one liveness probe,
 * which HA's failure detector shares; the monitor does not call {@link HostConnection#alive()} itself), marks
 * the host disconnected or connected again (with a {@code host.state} event), lists its VMs and reads its usage.
 * Drivers with pushed events are also subscribed, so a VM killed outside Polyvisor is failed as soon as the
 * driver says so.
 *
 * <p>It never fights the lifecycle controller: VMs with an unfinished task are left alone, and an
 * observation taken before the VM row's last write is dropped as stale.
 */
public final class HostMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostMonitor.class);

    private final Store store;
    private final Connections conns;
    private final HostProber prober;
    private final VmUpdates vms;
    private final Journal journal;
    private final UsageView usage;
    private final Predicate<UUID> executing;
    private final Duration interval;
    private final Map<String, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
    private final java.util.Set<String> probing = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("host-monitor").factory());
    private final ExecutorService eventWorker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("domain-events").factory());

    /** @param executing whether the lifecycle controller is running a task of this VM right now */
    public HostMonitor(Store store, Connections conns, HostProber prober, VmUpdates vms, Journal journal, UsageView usage,
                       Predicate<UUID> executing, Duration interval) {
        this.store = store;
        this.conns = conns;
        this.prober = prober;
        this.vms = vms;
        this.journal = journal;
        this.usage = usage;
        this.executing = executing;
        this.interval = interval;
    }

    private volatile io.polyvisor.drivers.HostOwnership owned = io.polyvisor.drivers.HostOwnership.ALL;

    /** Observes only the hosts this server owns (a cluster member); every host by default. Set before {@link #start()}. */
    public void ownedHosts(io.polyvisor.drivers.HostOwnership o) {
        this.owned = o;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::probeAllSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeAllSafely() {
        try {
            probeAll();
        } catch (RuntimeException | Error e) {
            io.polyvisor.store.Stores.logFailure(log, "host probe round failed", e); // caught, or the schedule would end silently
        }
    }

    /**
     * One observation round over every host, each host on its own virtual thread so that a host that hangs
     * does not delay the others. A host still being probed from an earlier round is skipped.
     */
    public void probeAll() {
        List<Thread> round = new ArrayList<>();
        for (Host h : store.hosts()) {
            if (!owned.owns(h.name()) || !probing.add(h.name())) continue;
            round.add(Thread.ofVirtual().name("probe-" + h.name()).start(() -> {
                try {
                    // what the round writes about the host is fenced by its lease (docs/CLUSTER.md, "Fenced writes")
                    io.polyvisor.store.WriteFence.under(owned.fence(List.of(h.name())), () -> probe(h));
                } catch (RuntimeException e) {
                    log.warn("probing host {} failed: {}", h.name(), e.toString());
                } finally {
                    probing.remove(h.name());
                }
            }));
        }
        long deadline = System.nanoTime() + interval.toNanos() * 5;
        try {
            for (Thread t : round) t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void probe(Host h) {
        HostConnection c;
        try {
            c = conns.get(h.name());
        } catch (RuntimeException e) {
            disconnected(h, e.getMessage());
            return;
        }
        switch (prober.liveness(h.name())) {
            case HostProber.Liveness.Unknown u -> {
                return; // not probed yet: next round
            }
            case HostProber.Liveness.Down d -> {
                disconnected(h, "host " + h.name() + " did not answer");
                return;
            }
            case HostProber.Liveness.Up u -> { }
        }
        if (h.state() == HostState.DISCONNECTED) setState(h, HostState.CONNECTED, "host " + h.name() + " is connected again");
        subscribe(h.name(), c);
        long t0 = System.nanoTime();
        try {
            Map<UUID, PowerState> seen = new HashMap<>();
            for (DomainInfo d : c.compute().list()) seen.put(d.id(), d.state());
            for (Vm vm : store.vmsOnHost(h.name())) {
                // cheap first look; only a VM whose state would change is re-read under its lock
                if (Observed.state(vm, seen.get(vm.id()), h.name()).getClass() != vm.state().getClass()) {
                    observe(vm.id(), h.name(), seen.get(vm.id()), t0);
                }
            }
            if (c.capabilities().contains(Capability.STATS)) {
                var stats = c.stats();
                usage.putHost(h.name(), stats.host());
                usage.putVms(stats.vms(), seen.keySet());
            }
        } catch (RuntimeException e) {
            log.warn("observing host {} failed: {}", h.name(), e.toString());
        }
    }

    private void subscribe(String host, HostConnection c) {
        if (!c.capabilities().contains(Capability.EVENTS) || subscriptions.containsKey(host)) return;
        try {
            subscriptions.put(host, c.events().subscribe(ev -> eventWorker.execute(() -> onEvent(host, ev))));
        } catch (RuntimeException e) {
            log.warn("subscribing to events of host {} failed; polling only: {}", host, e.toString());
        }
    }

    private void onEvent(String host, DomainEvent ev) {
        if (!owned.owns(host)) return; // another server drives the host now: it observes it
        try {
            io.polyvisor.store.WriteFence.under(owned.fence(List.of(host)), () -> observe(ev.id(), host, ev.state(), System.nanoTime()));
        } catch (RuntimeException e) {
            log.warn("handling event {} of host {} failed: {}", ev, host, e.toString());
        }
    }

    /** Applies what host {@code host} reports for VM {@code id} ({@code power} null = not there), unless stale. */
    private void observe(UUID id, String host, PowerState power, long observedAt) {
        Vm[] changed = new Vm[1];
        vms.locked(id, () -> {
            Vm vm = store.vm(id).orElse(null);
            if (vm == null || !host.equals(vm.host()) || leaveAlone(vm) || vms.writtenSince(id, observedAt)) return null;
            VmState next = Observed.state(vm, power, host);
            if (next.getClass() == vm.state().getClass()) return null; // same state; keep the first reason given
            if (!vm.state().canBecome(next)) return null;
            Vm updated = vm.withState(next);
            store.updateVm(updated);
            vms.touch(id);
            changed[0] = updated;
            return null;
        });
        if (changed[0] != null) {
            Vm v = changed[0];
            journal.vmState(v, v.name() + " is " + v.state().label()
                    + (v.state().detail() != null ? ": " + v.state().detail() : " on host " + host));
        }
    }

    private boolean leaveAlone(Vm vm) {
        if (vm.state() instanceof VmState.Pending || vm.state() instanceof VmState.Migrating
                || vm.state() instanceof VmState.Deleted || executing.test(vm.id())) return true;
        return !store.tasks(vm.id(), Task.Status.RUNNING, 1).isEmpty() || !store.tasks(vm.id(), Task.Status.QUEUED, 1).isEmpty();
    }

    private void disconnected(Host h, String reason) {
        AutoCloseable sub = subscriptions.remove(h.name());
        if (sub != null) closeQuietly(sub);
        conns.drop(h.name()); // reconnect from scratch at the next probe (HA's watch connection stays, for fencing)
        usage.forgetHost(h.name());
        if (h.state() != HostState.CONNECTED && h.state() != HostState.MAINTENANCE) return;
        setState(h, HostState.DISCONNECTED, reason);
        long now = System.nanoTime();
        for (Vm vm : store.vmsOnHost(h.name())) {
            Vm[] changed = new Vm[1];
            vms.locked(vm.id(), () -> {
                Vm cur = store.vm(vm.id()).orElse(null);
                if (cur == null || leaveAlone(cur) || vms.writtenSince(cur.id(), now)) return null;
                VmState unknown = new VmState.Unknown("host " + h.name() + " is unreachable");
                if (!cur.state().canBecome(unknown) || cur.state() instanceof VmState.Unknown) return null;
                changed[0] = cur.withState(unknown);
                store.updateVm(changed[0]);
                vms.touch(cur.id());
                return null;
            });
            if (changed[0] != null) journal.vmState(changed[0], vm.name() + " is unknown: host " + h.name() + " is unreachable");
        }
    }

    private void setState(Host h, HostState s, String message) {
        store.updateHost(h.withState(s));
        journal.record(InventoryEvent.HOST_STATE, h.name(), message);
    }

    /** Current hosts' observed connections, for tests and the API. */
    public List<String> subscribedHosts() {
        return List.copyOf(subscriptions.keySet());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        eventWorker.shutdownNow();
        try {
            // a round in progress finishes its store writes before the store closes
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            eventWorker.awaitTermination(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!probing.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.values().forEach(this::closeQuietly);
        subscriptions.clear();
    }

    private void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing subscription failed", e);
        }
    }
}
