package io.polyvisor.sim;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Compute;
import io.polyvisor.spi.DomainEvent;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.Events;
import io.polyvisor.spi.Fencing;
import io.polyvisor.spi.GuestAccess;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostInfo;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.Networking;
import io.polyvisor.spi.Migration;
import io.polyvisor.spi.PowerState;
import io.polyvisor.spi.Stats;
import io.polyvisor.spi.Usage;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A connection to one simulated host. Holds no state of its own beyond its subscriptions: every connection to
 * the same host sees the same domains. After {@link #close()} every call throws a non-retryable DriverException.
 */
final class SimConnection implements HostConnection {
    final SimDatacenter dc;
    final SimHost host;
    private final URI uri;
    private final Compute compute;
    private final Migration migration;
    private final List<Consumer<DomainEvent>> subscribed = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SimConnection(SimDatacenter dc, SimHost host, URI uri) {
        this.dc = dc;
        this.host = host;
        this.uri = uri;
        this.compute = new SimCompute(this);
        this.migration = new SimMigration(this);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String driver() {
        return "sim";
    }

    @Override
    public Set<Capability> capabilities() {
        return SimDriver.CAPABILITIES;
    }

    @Override
    public HostInfo info() {
        requireOpen();
        return dc.call(host, Operation.STATS, () -> new HostInfo(host.name, "sim", "1.0", host.cpus, host.memoryBytes));
    }

    @Override
    public boolean alive() {
        return !closed && host.health == HostHealth.UP;
    }

    @Override
    public Compute compute() {
        return compute;
    }

    /** Usage at the clock's now, from each VM's {@link LoadModel}; the host's figure is the sum over its guests. */
    @Override
    public Stats stats() {
        return new Stats() {
            @Override
            public Usage host() {
                requireOpen();
                return dc.call(host, Operation.STATS, () -> {
                    long now = dc.clock().now().toEpochMilli();
                    double cpu = 0;
                    long mem = 0;
                    long dirty = 0;
                    for (var vm : host.vms.values()) {
                        if (!vm.live()) continue;
                        var u = host.usage(vm, now);
                        cpu += u.cpuCores();
                        mem += u.memoryBytes();
                        dirty += u.dirtyBytesPerSec();
                    }
                    return new Usage(cpu, mem, dirty);
                });
            }

            @Override
            public Map<UUID, Usage> vms() {
                requireOpen();
                return dc.call(host, Operation.STATS, () -> {
                    long now = dc.clock().now().toEpochMilli();
                    var out = new HashMap<UUID, Usage>();
                    for (var vm : host.vms.values()) {
                        if (vm.state == PowerState.RUNNING) out.put(vm.id, host.usage(vm, now));
                    }
                    return out;
                });
            }
        };
    }

    @Override
    public Events events() {
        return listener -> {
            requireOpen();
            dc.locked(() -> {
                host.requireUp();
                host.listeners.add(listener);
                return null;
            });
            subscribed.add(listener);
            return () -> {
                host.listeners.remove(listener);
                subscribed.remove(listener);
            };
        };
    }

    @Override
    public Migration migration() {
        return migration;
    }

    /** {@code fenceVm} goes through the host; {@code fenceHost} is out of band (a power switch) and works on a host in any state. */
    @Override
    public Fencing fencing() {
        return new Fencing() {
            @Override
            public void fenceVm(UUID id) {
                requireOpen();
                dc.run(host, Operation.FENCE, () -> {
                    var vm = host.vms.get(id);
                    if (vm != null && vm.state != PowerState.SHUTOFF) host.setState(vm, PowerState.SHUTOFF, "fenced");
                });
            }

            @Override
            public void fenceHost() {
                requireOpen();
                dc.locked(() -> {
                    host.powerOff();
                    return null;
                });
            }
        };
    }

    @Override
    public GuestAccess guestAccess() {
        return (id, hostPort, guestPort) -> {
            requireOpen();
            dc.run(host, Operation.FORWARD, () -> host.forward(id, hostPort, guestPort));
        };
    }

    @Override
    public io.polyvisor.spi.SerialConsole serialConsole() {
        requireOpen();
        return new SimSerialConsole(this);
    }

    @Override
    public io.polyvisor.spi.Storage storage() {
        return new SimStorage(this);
    }

    /** This host's underlay address is its name: the simulator sends nothing, it only checks who floods to whom. */
    @Override
    public Networking networking() {
        return new Networking() {
            @Override
            public java.util.Optional<String> underlay() {
                return java.util.Optional.of(host.name);
            }

            @Override
            public void ensure(HostNetwork net) {
                requireOpen();
                dc.run(host, Operation.NETWORK, () -> host.ensureNetwork(net));
            }

            @Override
            public void remove(int vni) {
                requireOpen();
                dc.run(host, Operation.NETWORK, () -> {
                    if (host.networks.remove(vni) != null) dc.changed();
                });
            }

            @Override
            public void firewall(io.polyvisor.network.HostFirewall firewall) {
                requireOpen();
                dc.run(host, Operation.NETWORK, () -> host.firewall = firewall);
            }

            @Override
            public void attachNic(UUID vm, io.polyvisor.model.Nic nic) {
                requireOpen();
                dc.run(host, Operation.NETWORK, () -> {
                    var v = host.require(vm);
                    if (v.nics.stream().anyMatch(n -> nic.mac().equals(n.mac()))) return;
                    if (host.carrying(nic.network()) == null) {
                        throw new DriverException("network " + nic.network() + " is not set up on sim host " + host.name + ": ensure it first", false, null);
                    }
                    var nics = new java.util.ArrayList<>(v.nics);
                    nics.add(nic);
                    v.nics = java.util.List.copyOf(nics);
                    dc.changed();
                });
            }

            @Override
            public void detachNic(UUID vm, io.polyvisor.model.Nic nic) {
                requireOpen();
                dc.run(host, Operation.NETWORK, () -> {
                    var v = host.require(vm);
                    if (v.nics.stream().noneMatch(n -> nic.mac().equals(n.mac()))) return;
                    v.nics = v.nics.stream().filter(n -> !nic.mac().equals(n.mac())).toList();
                    dc.changed();
                });
            }

            @Override
            public java.util.Set<Integer> vnis() {
                requireOpen();
                return dc.call(host, Operation.LOOKUP, () -> java.util.Set.copyOf(host.networks.keySet()));
            }
        };
    }

    void requireOpen() {
        if (closed) throw new DriverException("connection to " + uri + " is closed");
    }

    @Override
    public void close() {
        closed = true;
        for (var l : subscribed) host.listeners.remove(l);
        subscribed.clear();
    }

    @Override
    public String toString() {
        return "sim connection to " + uri;
    }
}
