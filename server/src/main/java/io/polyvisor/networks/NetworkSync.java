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
    /** Connections whose host this server has reconciled once (weak: a closed connection is forgotten with it). */
    private final Map<HostConnection, Boolean> reconciled = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** Whether the last round had networks or groups to keep (one more round runs after the last goes, to clean up). */
    private volatile boolean active = true;

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

    /** The firewall of host {@code name}: its VMs' groups (those arriving or migrating to it included). */
    io.polyvisor.network.HostFirewall firewallFor(String name) {
        return guests().firewallFor(name);
    }

    /** Every VM with its groups, read once: what the firewalls of all hosts are computed from. */
    private Guests guests() {
        var members = store.secgroupMembers();
        if (members.isEmpty()) return Guests.NONE;
        var groups = new java.util.HashMap<String, io.polyvisor.network.SecurityGroup>();
        store.secgroups().forEach(g -> groups.put(g.name(), g));
        long now = System.nanoTime();
        arriving.values().removeIf(a -> a.untilNanos() < now);
        var all = new java.util.ArrayList<Guests.Placed>();
        for (var vm : store.vms()) {
            var guest = new io.polyvisor.network.Firewalls.Guest(vm.id(), vm.spec().nics(), members.getOrDefault(vm.id(), Set.of()));
            var arrival = arriving.get(vm.id());
            var hosts = new HashSet<String>();
            if (vm.host() != null) hosts.add(vm.host());
            if (vm.state() instanceof io.polyvisor.model.VmState.Migrating m) hosts.add(m.to());
            if (arrival != null) hosts.add(arrival.host());
            all.add(new Guests.Placed(guest, hosts));
        }
        return new Guests(all, groups);
    }

    /** A snapshot of guests and the hosts each counts on (its host, a migration's destination, a host it is arriving on). */
    private record Guests(List<Placed> all, Map<String, io.polyvisor.network.SecurityGroup> groups) {
        static final Guests NONE = new Guests(List.of(), Map.of());

        record Placed(io.polyvisor.network.Firewalls.Guest guest, Set<String> hosts) {}

        io.polyvisor.network.HostFirewall firewallFor(String host) {
            if (all.isEmpty()) return io.polyvisor.network.HostFirewall.NONE;
            var here = all.stream().filter(p -> p.hosts().contains(host)).map(Placed::guest).toList();
            return io.polyvisor.network.Firewalls.forHost(here, all.stream().map(Placed::guest).toList(), groups);
        }
    }

    /** Ensures {@code net} on {@code host}, with the peers the inventory gives it now. */
    void ensure(HostConnection host, Network net) {
        host.networking().ensure(HostNetwork.of(net, peers(host, networkingHosts()), net.dhcp() ? nics() : List.of()));
    }

    /**
     * One reconciliation of every open host with networking: ensure each network, apply its firewall, remove deleted
     * networks. Failures become events. A host's connection is reconciled in the first round that sees it, even when
     * there is nothing to keep (a table or networks an earlier server process left go at once). Otherwise costs a few
     * reads when there are neither networks nor security groups (after one last round that removes what the last
     * deleted network left).
     */
    void round() {
        List<Network> networks = store.networks();
        Guests guests = guests();
        boolean busy = !networks.isEmpty() || !guests.all().isEmpty();
        Map<String, HostConnection> hosts = networkingHosts();
        // a connection not reconciled yet (this server's first round, a host added or taken over from another server):
        // whatever an earlier server process left there (firewall, networks) is made to match the inventory now
        boolean fresh = !reconciled.keySet().containsAll(hosts.values());
        if (!busy && !active && !fresh) return;
        active = busy;
        Set<Integer> vnis = new HashSet<>();
        networks.forEach(n -> vnis.add(n.vni()));
        List<io.polyvisor.model.Nic> nics = networks.stream().anyMatch(Network::dhcp) ? nics() : List.of();
        hosts.forEach((name, c) -> {
            for (Network n : networks) {
                try {
                    c.networking().ensure(HostNetwork.of(n, peers(c, hosts), nics));
                    reported.remove(name + "/" + n.name());
                } catch (RuntimeException e) {
                    report(name, n.name(), e);
                }
            }
            try {
                c.networking().firewall(guests.firewallFor(name));
                reconciled.put(c, Boolean.TRUE);
                reported.remove(name + "/firewall");
            } catch (RuntimeException e) {
                report(name, "firewall", e);
            }
            try {
                for (int present : c.networking().vnis()) {
                    if (!vnis.contains(present)) c.networking().remove(present);
                }
            } catch (RuntimeException e) {
                log.warn("cannot list or remove networks on host {}: {}", name, e.getMessage());
            }
        });
    }

    /** Every VM's NICs: what DHCP networks hand out (a NIC keeps its MAC and address, so its lease is the same on every host). */
    private List<io.polyvisor.model.Nic> nics() {
        return store.vms().stream().flatMap(vm -> vm.spec().nics().stream()).toList();
    }

    /** The open work connections of hosts offering networking, by host name. */
    private Map<String, HostConnection> networkingHosts() {
        var out = new java.util.LinkedHashMap<String, HostConnection>();
        for (Host h : store.hosts()) {
            conns.ifOpen(h.name()).filter(c -> c.capabilities().contains(Capability.NETWORKING)).ifPresent(c -> out.put(h.name(), c));
        }
        return out;
    }

    private void report(String host, String network, RuntimeException e) {
        String msg = network + " on host " + host + ": " + e.getMessage();
        if (msg.equals(reported.put(host + "/" + network, msg))) return;
        log.warn("cannot set up network {}", msg);
        journal.record(NetworksEvent.NETWORK_HOST_FAILED, network, "cannot set up network " + msg);
    }

    /** The underlay addresses of the other hosts of {@code host}'s driver (among {@code hosts}) that have one. */
    private static Set<String> peers(HostConnection host, Map<String, HostConnection> hosts) {
        String self = host.networking().underlay().orElse(null);
        Set<String> out = new HashSet<>();
        for (HostConnection c : hosts.values()) {
            if (c == host || !c.driver().equals(host.driver())) continue;
            Networking other = c.networking();
            other.underlay().filter(u -> !u.equals(self)).ifPresent(out::add);
        }
        return out;
    }
}
