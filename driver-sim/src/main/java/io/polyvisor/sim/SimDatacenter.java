package io.polyvisor.sim;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Sizes;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.PowerState;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An in-process data centre of simulated hypervisor hosts, reached through {@code sim://NAME/HOST} URIs.
 *
 * <p>Contracts:
 * <ul>
 *   <li>Deterministic: the same seed, clock start, settings and sequence of calls give the same states, usage
 *       figures, migration figures and event times. Nothing here reads the wall clock except {@link SimClock#real()}.</li>
 *   <li>Compact: no thread or timer per host or VM; a process holds 10,000 hosts and 100,000 VMs.</li>
 *   <li>Failure injection ({@link #crashHost}, {@link #partition}, {@link #failNext}, ...) acts at once and is
 *       seen by every connection to the host. A partitioned host is unreachable but not dead: its VMs keep
 *       running, so a controller that restarts them elsewhere without fencing first runs them twice, and
 *       {@link #runningOn} shows it.</li>
 *   <li>Events are delivered on the thread whose call (or clock task) caused them, after the data centre's lock
 *       is released, in the order they happened; hosts that are not {@link HostHealth#UP} deliver none.</li>
 * </ul>
 * Methods taking a host name throw {@link IllegalArgumentException} for a host that was never added: that is a
 * bug in the test or benchmark that called them.
 */
public final class SimDatacenter {
    private static final ConcurrentHashMap<String, SimDatacenter> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private final long seed;
    private final SimClock clock;
    private final SimSettings settings;
    /** Shared pools by name (one object however many hosts declare them), guarded by {@link #lock}. */
    private final Map<String, SimPool> sharedPools = new java.util.HashMap<>();

    /** Shared pool {@code name} at {@code path}, made on first use; the same name at another path is refused. Under the lock. */
    SimPool sharedPool(String name, String path) {
        var p = sharedPools.computeIfAbsent(name, n -> SimPool.shared(n, path, SimPool.DEFAULT_CAPACITY));
        if (!p.host.equals(path)) {
            throw new io.polyvisor.spi.DriverException("shared pool " + name + " is at " + p.host + " in this data centre, not at " + path);
        }
        return p;
    }

    final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SimHost> hosts = new LinkedHashMap<>();
    private final EventOutbox outbox = new EventOutbox();
    private int boots;
    /** Null unless {@link #persistTo} was called: the default, so tests and benchmarks pay nothing. */
    private SimState persistence;

    private SimDatacenter(String name, long seed, SimClock clock, SimSettings settings) {
        this.name = Names.requireName("datacenter", name);
        this.seed = seed;
        this.clock = clock;
        this.settings = settings;
    }

    /** The data centre {@code name}, created on first use with seed 0, the real clock and {@link SimSettings#realistic()}. */
    public static SimDatacenter named(String name) {
        return REGISTRY.computeIfAbsent(name, n -> new SimDatacenter(n, 0, SimClock.real(), SimSettings.realistic()));
    }

    /**
     * Creates and registers a data centre, replacing any of the same name (connections to the old one keep
     * working on the old one). Settings are {@link SimSettings#realistic()} on the real clock and
     * {@link SimSettings#instant()} on a virtual one.
     */
    public static SimDatacenter create(String name, long seed, SimClock clock) {
        return create(name, seed, clock, clock instanceof VirtualClock ? SimSettings.instant() : SimSettings.realistic());
    }

    public static SimDatacenter create(String name, long seed, SimClock clock, SimSettings settings) {
        var dc = new SimDatacenter(name, seed, clock, settings);
        REGISTRY.put(name, dc);
        return dc;
    }

    public String name() {
        return name;
    }

    public long seed() {
        return seed;
    }

    public SimClock clock() {
        return clock;
    }

    public SimSettings settings() {
        return settings;
    }

    /**
     * Keeps this data centre's durable state in {@code file}, so that its simulated hypervisors outlive the process,
     * as real ones outlive their control plane. If the data centre has no hosts yet and the file exists, the hosts
     * and domains saved there come back first (running guests keep running); a data centre that already has hosts
     * keeps them (it is the live truth in this process), except when there is no file yet and nobody persists the
     * data centre now: a fresh data folder gets fresh hypervisors, even where an earlier server in this process used
     * the same data centre. Then the state is written at once and again after every
     * change (define, start, stop, destroy, suspend, resume, undefine, completed migration, crash, recover...),
     * atomically, under the lock. What is kept and what is not: see {@link SimState}. Calling it again with
     * another file moves persistence there.
     *
     * @throws java.io.UncheckedIOException if the file cannot be read or written
     */
    public void persistTo(java.nio.file.Path file) {
        lock.lock();
        try {
            var state = new SimState(file);
            var saved = state.read();
            if (saved == null && persistence == null) hosts.clear();
            if (saved == null && persistence == null) sharedPools.clear();
            if (hosts.isEmpty() && saved != null) {
                sharedPools.clear();
                SimState.restore(this, saved, hosts, sharedPools);
            }
            persistence = state;
            changed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops writing the state if it goes to {@code file} (a process that hands the data centre on to later users in
     * the same JVM, such as a server shutting down, calls this); the file stays as last written.
     */
    public void stopPersistingTo(java.nio.file.Path file) {
        lock.lock();
        try {
            if (persistence != null && persistence.file().equals(file.toAbsolutePath())) persistence = null;
        } finally {
            lock.unlock();
        }
    }

    /** Called under the lock after every change to durable state; writes it when persistence is on. */
    void changed() {
        if (persistence != null) persistence.write(hosts.values(), sharedPools.values());
    }

    // ---- hosts ------------------------------------------------------------------------------------------------

    /**
     * Adds a host, or returns the URI of the existing one when its capacity is the same.
     *
     * @throws InvalidInput for a bad name or capacity, or if the host exists with another capacity
     */
    public URI addHost(String host, int cpus, long memoryBytes) {
        Names.requireName("host", host);
        InvalidInput.require(cpus >= 1 && cpus <= 4096, "cpus must be between 1 and 4096, got " + cpus);
        InvalidInput.require(memoryBytes >= Sizes.GiB && memoryBytes <= 64 * Sizes.TiB,
                "memory must be between 1 GiB and 64 TiB, got " + Sizes.format(memoryBytes));
        lock.lock();
        try {
            var h = hosts.get(host);
            if (h == null) {
                hosts.put(host, new SimHost(this, host, cpus, memoryBytes));
                changed();
            } else if (h.cpus != cpus || h.memoryBytes != memoryBytes) {
                throw new InvalidInput("sim host " + host + " already exists with " + h.cpus + " CPUs and "
                        + Sizes.format(h.memoryBytes) + ", not " + cpus + " CPUs and " + Sizes.format(memoryBytes));
            }
            return uri(host);
        } finally {
            lock.unlock();
        }
    }

    /** {@code sim://NAME/HOST}. */
    public URI uri(String host) {
        return URI.create("sim://" + name + "/" + host);
    }

    /** A connection to an existing host, as {@link SimDriver#connect} gives (so it throws if the host is down). */
    public HostConnection connect(String host) {
        var h = host(host);
        lock.lock();
        try {
            h.requireUp();
        } finally {
            lock.unlock();
        }
        return new SimConnection(this, h, uri(host));
    }

    /** The security-group firewall host {@code host} applies now (what its {@code nft} table would hold). */
    public io.polyvisor.network.HostFirewall firewall(String host) {
        var h = host(host);
        return locked(() -> h.firewall);
    }

    /** Host names in the order they were added. */
    public List<String> hosts() {
        return locked(() -> List.copyOf(hosts.keySet()));
    }

    public HostHealth health(String host) {
        return host(host).health;
    }

    /** Domains defined on all hosts (a crashed host holds none; a partitioned one keeps its own). */
    public int vmCount() {
        return locked(() -> hosts.values().stream().mapToInt(h -> h.vms.size()).sum());
    }

    /** Hosts on which the VM is running or paused, whether reachable or not. More than one means it runs twice. */
    public List<String> runningOn(UUID id) {
        return locked(() -> {
            var out = new ArrayList<String>();
            for (var h : hosts.values()) {
                var vm = h.vms.get(id);
                if (vm != null && vm.live()) out.add(h.name);
            }
            return out;
        });
    }

    /**
     * The address the DHCP server of host {@code host} hands to MAC {@code mac} on network {@code network} now (a real
     * host's dnsmasq serves static leases only): empty if the host is not up, does not carry the network, the network
     * has DHCP off, or Polyvisor gave the host no lease for that MAC.
     */
    public java.util.Optional<String> dhcpLease(String host, String network, String mac) {
        return locked(() -> {
            var h = hosts.get(host);
            if (h == null || h.health != HostHealth.UP) return java.util.Optional.<String>empty();
            var carried = h.carrying(network);
            if (carried == null || !carried.network().dhcp()) return java.util.Optional.<String>empty();
            return carried.leases().stream().filter(n -> n.mac().equals(mac)).map(io.polyvisor.model.Nic::ip).findFirst();
        });
    }

    /**
     * Whether VM {@code from} can reach {@code address} on a private network now, as the real data path would carry it:
     * both VMs running, each with a NIC on the same network, on hosts that both carry that network (same VNI) and,
     * across hosts, each flooding to the other's underlay address (the request and its answer both cross). A crashed or
     * partitioned host reaches nobody.
     */
    public boolean reachable(UUID from, String address) {
        return reachable(from, address, io.polyvisor.network.SecurityGroup.Protocol.ICMP, 0);
    }

    /**
     * Whether new {@code protocol} traffic from VM {@code from} reaches {@code address}:{@code port}: as {@link #reachable(UUID, String)},
     * the source host's firewall lets it out of {@code from}'s address on that network (egress rules) and the destination
     * host's firewall admits it from that address (ingress rules).
     */
    public boolean reachable(UUID from, String address, io.polyvisor.network.SecurityGroup.Protocol protocol, int port) {
        return locked(() -> {
            var src = liveOn(from);
            if (src == null) return false;
            for (var dstHost : hosts.values()) {
                for (var vm : dstHost.vms.values()) {
                    if (vm.state != io.polyvisor.spi.PowerState.RUNNING) continue;
                    for (var nic : vm.nics) {
                        if (address.equals(nic.ip()) && linked(src, from, dstHost, nic.network())
                                && admitted(src, src.vms.get(from), dstHost, nic, protocol, port)) return true;
                    }
                }
            }
            return false;
        });
    }

    /** Whether the source host's firewall lets the traffic out (egress) and the destination host's lets it in (ingress). */
    private static boolean admitted(SimHost srcHost, SimVm src, SimHost dst, io.polyvisor.model.Nic to,
                                    io.polyvisor.network.SecurityGroup.Protocol protocol, int port) {
        for (var nic : src.nics) {
            if (nic.network().equals(to.network()) && nic.ip() != null) {
                var ip = io.polyvisor.network.Ipv4.parse("address", nic.ip());
                return io.polyvisor.network.Firewalls.sends(srcHost.firewall, nic.ip(), io.polyvisor.network.Ipv4.parse("address", to.ip()), protocol, port)
                        && io.polyvisor.network.Firewalls.admits(dst.firewall, to.ip(), ip, protocol, port);
            }
        }
        return false;
    }

    private SimHost liveOn(UUID id) {
        for (var h : hosts.values()) {
            var vm = h.vms.get(id);
            if (vm != null && vm.state == io.polyvisor.spi.PowerState.RUNNING && h.health == HostHealth.UP) return h;
        }
        return null;
    }

    private static boolean linked(SimHost src, UUID from, SimHost dst, String network) {
        if (dst.health != HostHealth.UP || src.vms.get(from).nics.stream().noneMatch(n -> n.network().equals(network))) return false;
        var a = src.carrying(network);
        var b = dst.carrying(network);
        if (a == null || b == null || a.network().vni() != b.network().vni()) return false;
        return src == dst || (a.peers().contains(dst.name) && b.peers().contains(src.name));
    }

    /** What the VM's instance on {@code host} was defined with (what its guest would read), or empty. */
    public Optional<io.polyvisor.spi.GuestData> guestData(String host, UUID id) {
        var h = host(host);
        return locked(() -> Optional.ofNullable(h.vms.get(id)).map(vm -> vm.guestData));
    }

    /** The port forwards of the VM on {@code host}: host port to guest port. */
    public Map<Integer, Integer> forwards(String host, UUID id) {
        var h = host(host);
        return locked(() -> {
            var out = new TreeMap<Integer, Integer>();
            var vm = h.vms.get(id);
            if (vm != null && vm.forwards != null) {
                for (int i = 0; i < vm.forwards.length; i += 2) out.put(vm.forwards[i], vm.forwards[i + 1]);
            }
            return out;
        });
    }

    // ---- load -------------------------------------------------------------------------------------------------

    /** Sets the load of the VM wherever it is defined (now and after it migrates). */
    public void setLoad(UUID id, LoadModel load) {
        forEachCopy(id, vm -> vm.load = load);
    }

    /** Sets how fast the VM dirties memory while running; slows live migration down (see {@link SimSettings}). */
    public void setDirtyRate(UUID id, long bytesPerSecond) {
        InvalidInput.require(bytesPerSecond >= 0, "dirty rate must not be negative, got " + bytesPerSecond);
        forEachCopy(id, vm -> vm.dirtyBytesPerSec = bytesPerSecond);
    }

    // ---- failure injection ------------------------------------------------------------------------------------

    /** The host loses power: its VMs are gone (no events), calls throw retryable unreachable, {@code alive()} is false. */
    public void crashHost(String host) {
        var h = host(host);
        locked(() -> {
            h.powerOff();
            return null;
        });
    }

    /** Cuts the host off from the control plane; its VMs keep running. Undo with {@link #heal}. */
    public void partition(String host) {
        var h = host(host);
        locked(() -> {
            if (h.health == HostHealth.CRASHED) throw new IllegalStateException("sim host " + host + " is crashed, not up; recover it first");
            h.health = HostHealth.PARTITIONED;
            changed();
            return null;
        });
    }

    /** Ends a partition; the VMs are as they were left. Does nothing to a host that is up or crashed. */
    public void heal(String host) {
        var h = host(host);
        locked(() -> {
            if (h.health == HostHealth.PARTITIONED) {
                h.health = HostHealth.UP;
                changed();
            }
            return null;
        });
    }

    /** Powers a crashed (or fenced) host back on, empty. Does nothing to a host that is not crashed. */
    public void recover(String host) {
        var h = host(host);
        locked(() -> {
            if (h.health == HostHealth.CRASHED) {
                h.health = HostHealth.UP;
                changed();
            }
            return null;
        });
    }

    /** The next {@code count} calls of {@code op} on the host fail with a retryable DriverException and have no effect. */
    public void failNext(String host, Operation op, int count) {
        InvalidInput.require(count >= 0, "count must not be negative, got " + count);
        var h = host(host);
        locked(() -> {
            h.failNext(op, count);
            return null;
        });
    }

    /** Every later call of {@code op} on the host takes {@code extra} longer (on the clock); zero removes the delay. */
    public void delay(String host, Operation op, Duration extra) {
        InvalidInput.require(!extra.isNegative(), "delay must not be negative, got " + extra);
        var h = host(host);
        locked(() -> {
            h.delay(op, extra);
            return null;
        });
    }

    /** The guest dies: every running copy of the VM becomes CRASHED, with a CRASHED event from reachable hosts. */
    public void vmCrash(UUID id) {
        int crashed;
        lock.lock();
        try {
            crashed = 0;
            for (var h : hosts.values()) {
                var vm = h.vms.get(id);
                if (vm != null && vm.live()) {
                    h.crashGuest(vm);
                    crashed++;
                }
            }
        } finally {
            lock.unlock();
        }
        deliver();
        if (crashed == 0) throw new IllegalArgumentException("vm " + id + " is not running in sim data centre " + name);
    }

    // ---- internals used by connections --------------------------------------------------------------------------

    /** The host named in a connecting URI, added with that capacity if new. */
    SimHost hostForUri(SimUri u) {
        lock.lock();
        try {
            var h = hosts.get(u.host());
            if (h == null) {
                try {
                    addHost(u.host(), u.cpus().orElse(SimUri.DEFAULT_CPUS), u.memoryBytes().orElse(SimUri.DEFAULT_MEMORY));
                } catch (InvalidInput e) {
                    throw new DriverException(e.getMessage());
                }
                h = hosts.get(u.host());
            } else if (u.cpus().orElse(h.cpus) != h.cpus || u.memoryBytes().orElse(h.memoryBytes) != h.memoryBytes) {
                throw new DriverException("sim host " + u.host() + " already exists with " + h.cpus + " CPUs and "
                        + Sizes.format(h.memoryBytes) + "; the URI asks for another capacity");
            }
            h.requireUp();
            return h;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one driver call: fails if the host is down or a failure was injected, waits the operation's latency on
     * the clock (without the lock), applies {@code action} under the lock, then delivers the events it caused.
     */
    <R> R call(SimHost h, Operation op, Supplier<R> action) {
        Duration wait;
        lock.lock();
        try {
            h.requireUp();
            if (h.takeFailure(op)) throw new DriverException("injected failure of " + op.label() + " on sim host " + h.name, true, null);
            wait = settings.latency(op).plus(h.extraDelay(op));
        } finally {
            lock.unlock();
        }
        clock.sleep(wait);
        try {
            return locked(() -> {
                h.requireUp();
                return action.get();
            });
        } finally {
            deliver();
        }
    }

    void run(SimHost h, Operation op, Runnable action) {
        call(h, op, () -> {
            action.run();
            return null;
        });
    }

    <R> R locked(Supplier<R> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    int nextBoot() {
        return ++boots;
    }

    LoadModel loadOf(SimVm vm) {
        return vm.load != null ? vm.load : LoadModel.drawn(seed, vm.id);
    }

    /** Queues an event for the host's listeners; called under the lock. */
    void emit(SimHost h, UUID id, PowerState state, String reason) {
        if (!h.listeners.isEmpty()) outbox.add(h, new DomainEvent(id, state, reason, clock.now()));
    }

    /** Delivers queued events unless the caller holds the lock (they go out when it is released). */
    void deliver() {
        if (!lock.isHeldByCurrentThread()) outbox.deliver();
    }

    /** The host or null; for tests in this package. */
    SimHost hostNamed(String host) {
        return locked(() -> hosts.get(host));
    }

    private SimHost host(String host) {
        var h = locked(() -> hosts.get(host));
        if (h == null) throw new IllegalArgumentException("no sim host " + host + " in data centre " + name);
        return h;
    }

    private void forEachCopy(UUID id, java.util.function.Consumer<SimVm> change) {
        boolean found = locked(() -> {
            boolean any = false;
            for (var h : hosts.values()) {
                var vm = h.vms.get(id);
                if (vm != null) {
                    change.accept(vm);
                    any = true;
                }
            }
            if (any) changed();
            return any;
        });
        if (!found) throw new IllegalArgumentException("vm " + id + " is not defined in sim data centre " + name);
    }

    @Override
    public String toString() {
        return "sim data centre " + name + " (seed " + seed + ", " + clock + ")";
    }
}
