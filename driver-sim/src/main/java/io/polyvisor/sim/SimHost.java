package io.polyvisor.sim;

import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.PowerState;
import io.polyvisor.spi.Usage;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One simulated hypervisor host: its capacity, its domains and its injected faults. All methods run under the
 * data centre's lock; state changes go through {@link #setState} so committed memory stays exact.
 * Memory is a hard limit (running and paused guests plus incoming migrations); CPU may be overcommitted.
 */
final class SimHost {
    final SimDatacenter dc;
    final String name;
    final int cpus;
    final long memoryBytes;
    /** Written under the lock; read without it when events are delivered. */
    volatile HostHealth health = HostHealth.UP;
    final Map<UUID, SimVm> vms = new HashMap<>(8);
    /** Memory of running and paused guests. */
    long committedBytes;
    /** Memory reserved by migrations coming in, by VM; null while there are none. */
    Map<UUID, Long> incoming;
    /** Private networks this host carries, by VNI: like a real host's bridges, lost when it loses power. */
    final Map<Integer, io.polyvisor.spi.HostNetwork> networks = new HashMap<>(4);
    /** The ingress filter on this host's guests' private addresses (security groups); lost with power like the networks. */
    io.polyvisor.network.HostFirewall firewall = io.polyvisor.network.HostFirewall.NONE;
    final CopyOnWriteArrayList<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();
    /** The host's storage pool; null until first used (most simulated hosts never touch storage). */
    SimPool pool;
    private int[] failNext;
    private long[] delayNanos;

    SimHost(SimDatacenter dc, String name, int cpus, long memoryBytes) {
        this.dc = dc;
        this.name = name;
        this.cpus = cpus;
        this.memoryBytes = memoryBytes;
    }

    /** Shared pools this host has declared (mounted), by name. */
    final java.util.Map<String, SimPool> mounts = new java.util.HashMap<>(2);

    SimPool mount(SimPool shared) {
        mounts.putIfAbsent(shared.name, shared);
        return shared;
    }

    /** The pool of this host holding {@code volume} for a disk on {@code pool} (null: local), or null if none does. */
    SimPool holding(String pool, String volume) {
        SimPool p = pool == null ? pool() : mounts.get(pool);
        return p != null && p.volumes.containsKey(volume) ? p : null;
    }

    SimPool pool() {
        if (pool == null) pool = new SimPool(name, SimPool.DEFAULT_CAPACITY);
        return pool;
    }

    // ---- faults ----

    void requireUp() {
        if (health != HostHealth.UP) throw DriverException.unreachable(name, null);
    }

    /** Consumes one injected failure of {@code op}, if any is pending. */
    boolean takeFailure(Operation op) {
        if (failNext == null || failNext[op.ordinal()] == 0) return false;
        failNext[op.ordinal()]--;
        return true;
    }

    void failNext(Operation op, int count) {
        if (failNext == null) failNext = new int[Operation.values().length];
        failNext[op.ordinal()] = count;
    }

    Duration extraDelay(Operation op) {
        return delayNanos == null ? Duration.ZERO : Duration.ofNanos(delayNanos[op.ordinal()]);
    }

    void delay(Operation op, Duration d) {
        if (delayNanos == null) delayNanos = new long[Operation.values().length];
        delayNanos[op.ordinal()] = d.toNanos();
    }

    /** Power loss: every guest is gone at once and no event is sent (a dead host says nothing). */
    void powerOff() {
        health = HostHealth.CRASHED;
        vms.clear();
        networks.clear();
        firewall = io.polyvisor.network.HostFirewall.NONE;
        committedBytes = 0;
        incoming = null;
        dc.changed();
    }

    // ---- lifecycle ----

    DomainInfo define(UUID id, String vmName, VmSpec spec, io.polyvisor.spi.GuestData data) {
        var existing = vms.get(id);
        if (existing != null) return existing.info();
        for (var vm : vms.values()) {
            if (vm.name.equals(vmName)) {
                throw new DriverException("a VM named " + vmName + " is already defined on sim host " + name + " with UUID " + vm.id);
            }
        }
        for (var disk : spec.disks()) {
            if (holding(disk.pool(), disk.volume()) == null) {
                throw new DriverException("volume " + disk.volume() + " does not exist in " + (disk.pool() == null
                        ? "the pool of sim host " + name : "shared pool " + disk.pool() + " as sim host " + name + " sees it"));
            }
        }
        requireNetworks(spec.nics(), vmName);
        var vm = new SimVm(id, vmName, spec.vcpus(), spec.memoryBytes());
        if (!spec.disks().isEmpty()) vm.volumes = spec.disks().stream().map(io.polyvisor.model.Disk::volume).toArray(String[]::new);
        for (var disk : spec.disks()) if (!disk.local()) vm.shared.put(disk.volume(), disk.pool());
        vm.nics = spec.nics();
        vm.guestData = data;
        vms.put(id, vm);
        dc.changed();
        return vm.info();
    }

    /** Refuses NICs on networks this host does not carry (as a real host without the bridge would). */
    void requireNetworks(java.util.List<io.polyvisor.model.Nic> nics, String vmName) {
        for (var nic : nics) {
            if (nic.privateNetwork() && carrying(nic.network()) == null) {
                throw new DriverException("network " + nic.network() + " of vm " + vmName + " is not set up on sim host " + name);
            }
        }
    }

    /** The network named {@code network} as this host carries it, or null. */
    io.polyvisor.spi.HostNetwork carrying(String network) {
        for (var n : networks.values()) {
            if (n.network().name().equals(network)) return n;
        }
        return null;
    }

    /** Carries {@code net} as given; refuses a second network of the same name under another VNI. */
    void ensureNetwork(io.polyvisor.spi.HostNetwork net) {
        var same = carrying(net.network().name());
        if (same != null && same.network().vni() != net.network().vni()) {
            throw new DriverException("sim host " + name + " carries network " + net.network().name() + " with vni "
                    + same.network().vni() + ", not " + net.network().vni() + "; remove it first");
        }
        if (!net.equals(networks.put(net.network().vni(), net))) dc.changed();
    }

    void start(UUID id) {
        var vm = require(id);
        switch (vm.state) {
            case RUNNING -> { }
            case PAUSED -> throw new DriverException("vm " + vm.name + " is paused on sim host " + name + "; resume it instead");
            case SHUTOFF, CRASHED -> {
                long free = freeBytes();
                if (vm.memoryBytes > free) {
                    throw new DriverException("not enough memory on sim host " + name + " to start vm " + vm.name + ": needs "
                            + Sizes.format(vm.memoryBytes) + ", " + Sizes.format(Math.max(0, free)) + " free");
                }
                vm.boots = dc.nextBoot();
                vm.bootMillis = dc.clock().now().toEpochMilli();
                setState(vm, PowerState.RUNNING, "booted");
            }
        }
    }

    /** Returns the boot number the delayed power-off applies to, or -1 if the guest is not running. */
    int shutdown(UUID id) {
        var vm = require(id);
        return vm.live() ? vm.boots : -1;
    }

    /** The guest finished powering off after an ACPI request made during boot number {@code boots}. */
    void guestPoweredOff(UUID id, int boots) {
        var vm = vms.get(id);
        if (vm != null && vm.boots == boots && vm.live()) setState(vm, PowerState.SHUTOFF, "shutdown");
    }

    void destroy(UUID id) {
        var vm = require(id);
        if (vm.state != PowerState.SHUTOFF) setState(vm, PowerState.SHUTOFF, "destroyed");
    }

    void reboot(UUID id) {
        var vm = require(id);
        if (vm.state != PowerState.RUNNING) throw notRunning(vm, "rebooted");
        vm.bootMillis = dc.clock().now().toEpochMilli();
    }

    void suspend(UUID id) {
        var vm = require(id);
        if (vm.state == PowerState.PAUSED) return;
        if (vm.state != PowerState.RUNNING) throw notRunning(vm, "suspended");
        setState(vm, PowerState.PAUSED, "suspended");
    }

    void resume(UUID id) {
        var vm = require(id);
        if (vm.state == PowerState.RUNNING) return;
        if (vm.state != PowerState.PAUSED) throw new DriverException("vm " + vm.name + " is not paused on sim host " + name + ", so it cannot be resumed");
        setState(vm, PowerState.RUNNING, "resumed");
    }

    void undefine(UUID id) {
        var vm = vms.get(id);
        if (vm == null) return;
        if (vm.live()) throw new DriverException("vm " + vm.name + " is " + label(vm.state) + " on sim host " + name + "; destroy it before undefining");
        vms.remove(id);
        if (pool != null) pool.snapshots.remove(id);
        dc.changed();
        dc.emit(this, id, null, "undefined");
    }

    /** Adds a port forward; the same pair again does nothing. */
    void forward(UUID id, int hostPort, int guestPort) {
        if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
            throw new DriverException("ports must be between 1 and 65535, got host port " + hostPort + " and guest port " + guestPort);
        }
        var vm = require(id);
        if (!vm.live()) throw notRunning(vm, "reached");
        for (var other : vms.values()) {
            if (other.forwards == null) continue;
            for (int i = 0; i < other.forwards.length; i += 2) {
                if (other.forwards[i] != hostPort) continue;
                if (other == vm && other.forwards[i + 1] == guestPort) return;
                throw new DriverException("host port " + hostPort + " on sim host " + name + " already forwards to vm "
                        + other.name + " port " + other.forwards[i + 1]);
            }
        }
        int n = vm.forwards == null ? 0 : vm.forwards.length;
        vm.forwards = vm.forwards == null ? new int[2] : java.util.Arrays.copyOf(vm.forwards, n + 2);
        vm.forwards[n] = hostPort;
        vm.forwards[n + 1] = guestPort;
    }

    /** Usage of a live guest at {@code nowMillis}: its load model's sample times its size; a paused guest uses no CPU. */
    Usage usage(SimVm vm, long nowMillis) {
        var s = dc.loadOf(vm).at(Duration.ofMillis(nowMillis - vm.bootMillis));
        boolean running = vm.state == PowerState.RUNNING;
        return new Usage(running ? s.cpu() * vm.vcpus : 0, Math.round(s.memory() * vm.memoryBytes), running ? vm.dirtyBytesPerSec : 0);
    }

    void crashGuest(SimVm vm) {
        setState(vm, PowerState.CRASHED, "crashed");
    }

    /** The one place a domain's power state changes: keeps committed memory exact, drops forwards, emits the event. */
    void setState(SimVm vm, PowerState next, String reason) {
        boolean wasLive = vm.live();
        vm.state = next;
        if (wasLive && !vm.live()) {
            committedBytes -= vm.memoryBytes;
            vm.forwards = null;
        } else if (!wasLive && vm.live()) {
            committedBytes += vm.memoryBytes;
        }
        dc.changed();
        dc.emit(this, vm.id, next, reason);
    }

    long freeBytes() {
        long reserved = 0;
        if (incoming != null) for (long b : incoming.values()) reserved += b;
        return memoryBytes - committedBytes - reserved;
    }

    SimVm require(UUID id) {
        var vm = vms.get(id);
        if (vm == null) throw new DriverException("vm " + id + " is not defined on sim host " + name);
        return vm;
    }

    static String label(PowerState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private DriverException notRunning(SimVm vm, String what) {
        return new DriverException("vm " + vm.name + " is " + label(vm.state) + " on sim host " + name + ", so it cannot be " + what);
    }
}
