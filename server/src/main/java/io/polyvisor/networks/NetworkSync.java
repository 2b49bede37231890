package io.polyvisor.networks;

import io.polyvisor.drivers.Connections;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Host;
import io.polyvisor.network.Network;
import io.polyvisor.spi.Capability;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.HostNetwork;
import io.polyvisor.spi.Networking;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes hosts carry the networks Polyvisor's inventory holds: every network on every host with the networking
 * capability, each host flooding to the underlay addresses of the other hosts of its driver (from the inventory,
 * no multicast). A round ({@link #round}) runs every few seconds and removes networks that were deleted; a VM's
 * own networks are also ensured on its host just before it is defined, started or migrated there.
 */
public final class NetworkSync {
    private static final Logger log = LoggerFactory.getLogger(NetworkSync.class);

    private final Store store;
    private final Connections conns;
    private final Journal journal;
    /** The last failure reported per host and network, so a failing host does not write an event every round. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    public NetworkSync(Store store, Connections conns, Journal journal) {
        this.store = store;
        this.conns = conns;
        this.journal = journal;
    }

    /** VMs being defined, started or migrated onto a host, by id: guarded there before their row names that host. */
    private final Map<java.util.UUID, Arrival> arriving = new ConcurrentHashMap<>();

    private record Arrival(String host, long untilNanos) {}

    /**
     * Applies the security groups of the VMs on {@code host} (and of {@code vm}, arriving there) to it, so a VM is
     * guarded on its new host before it runs there. A no-op on hosts without networking.
     */
    void guard(HostConnection host, io.polyvisor.model.Vm vm) {
        if (!host.capabilities().contains(Capability.NETWORKING)) return;
        String name = store.hosts().stream().filter(h -> h.uri().equals(host.uri())).map(Host::name).findFirst().orElse(null);
        if (name == null) return;
        arriving.put(vm.id(), new Arrival(name, System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos()));
        host.networking().firewall(firewallFor(name));
    }

    /** The firewall of host {@code name}: its VMs' groups (those arriving or migrating to it included). Pure over a store read. */
    io.polyvisor.network.HostFirewall firewallFor(String name) {
        var members = store.secgroupMembers();
        if (members.isEmpty()) return io.polyvisor.network.HostFirewall.NONE;
        var groups = new java.util.HashMap<String, io.polyvisor.network.SecurityGroup>();
        store.secgroups().forEach(g -> groups.put(g.name(), g));
        long now = System.nanoTime();
        arriving.values().removeIf(a -> a.untilNanos() < now);
        var all = new java.util.ArrayList<io.polyvisor.network.Firewalls.Guest>();
        var here = new java.util.ArrayList<io.polyvisor.network.Firewalls.Guest>();
        for (var vm : store.vms()) {
            var guest = new io.polyvisor.network.Firewalls.Guest(vm.id(), vm.spec().nics(), members.getOrDefault(vm.id(), Set.of()));
            all.add(guest);
            var arrival = arriving.get(vm.id());
            boolean migratingHere = vm.state() instanceof io.polyvisor.model.VmState.Migrating m && name.equals(m.to());
            if (name.equals(vm.host()) || migratingHere || (arrival != null && arrival.host().equals(name))) here.add(guest);
        }
        return io.polyvisor.network.Firewalls.forHost(here, all, groups);
    }

    /** Ensures {@code net} on {@code host}, with the peers the inventory gives it now. */
    void ensure(HostConnection host, Network net) {
        host.networking().ensure(HostNetwork.of(net, peers(host)));
    }

    /** One reconciliation of every open host: ensure each network, remove deleted ones. Failures become events. */
    void round() {
        List<Network> networks = store.networks();
        Set<Integer> vnis = new HashSet<>();
        networks.forEach(n -> vnis.add(n.vni()));
        for (Host h : store.hosts()) {
            HostConnection c = conns.ifOpen(h.name()).orElse(null);
            if (c == null || !c.capabilities().contains(Capability.NETWORKING)) continue;
            for (Network n : networks) {
                try {
                    ensure(c, n);
                    reported.remove(h.name() + "/" + n.name());
                } catch (RuntimeException e) {
                    report(h.name(), n.name(), e);
                }
            }
            try {
                c.networking().firewall(firewallFor(h.name()));
                reported.remove(h.name() + "/firewall");
            } catch (RuntimeException e) {
                report(h.name(), "firewall", e);
            }
            try {
                for (int present : c.networking().vnis()) {
                    if (!vnis.contains(present)) c.networking().remove(present);
                }
            } catch (RuntimeException e) {
                log.warn("cannot list or remove networks on host {}: {}", h.name(), e.getMessage());
            }
        }
    }

    private void report(String host, String network, RuntimeException e) {
        String msg = network + " on host " + host + ": " + e.getMessage();
        if (msg.equals(reported.put(host + "/" + network, msg))) return;
        log.warn("cannot set up network {}", msg);
        journal.record(NetworksEvent.NETWORK_HOST_FAILED, network, "cannot set up network " + msg);
    }

    /** The underlay addresses of the other open hosts of {@code host}'s driver that have one. */
    private Set<String> peers(HostConnection host) {
        String self = host.networking().underlay().orElse(null);
        Set<String> out = new HashSet<>();
        for (Host h : store.hosts()) {
            HostConnection c = conns.ifOpen(h.name()).orElse(null);
            if (c == null || c == host || !c.driver().equals(host.driver()) || !c.capabilities().contains(Capability.NETWORKING)) continue;
            Networking other = c.networking();
            other.underlay().filter(u -> !u.equals(self)).ifPresent(out::add);
        }
        return out;
    }
}
