package io.polyvisor.spi;

import io.polyvisor.model.Nic;
import io.polyvisor.network.Network;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A private network as one host carries it: the network, the underlay addresses of the other hosts its traffic is
 * sent to (VXLAN head-end replication: every frame the host does not know the place of goes to each peer, so no
 * multicast is needed), and, for a network with DHCP on, the addresses the host's DHCP server hands out: every NIC
 * on the network with its MAC and address from Polyvisor's address management, wherever its VM runs (so a VM
 * that moves finds its lease on its new host). Leases are sorted by MAC so that equal inventories give equal values.
 *
 * @param leases NICs on this network with a MAC and an address (empty when DHCP is off)
 */
public record HostNetwork(Network network, SortedSet<String> peers, List<Nic> leases) {
    public HostNetwork {
        peers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(peers));
        leases = leases.stream().sorted(Comparator.comparing(Nic::mac)).toList();
        for (Nic n : leases) {
            if (!n.network().equals(network.name()) || n.mac() == null || n.ip() == null) {
                throw new IllegalArgumentException("a lease on network " + network.name() + " needs its MAC and address, got " + n);
            }
        }
    }

    public HostNetwork(Network network, SortedSet<String> peers) {
        this(network, peers, List.of());
    }

    public static HostNetwork of(Network network, Set<String> peers) {
        return new HostNetwork(network, new TreeSet<>(peers));
    }

    /** With DHCP on, the network's NICs among {@code nics} become leases; with it off, there are none. */
    public static HostNetwork of(Network network, Set<String> peers, java.util.Collection<Nic> nics) {
        var leases = network.dhcp()
                ? nics.stream().filter(n -> n.network().equals(network.name()) && n.mac() != null && n.ip() != null).toList()
                : List.<Nic>of();
        return new HostNetwork(network, new TreeSet<>(peers), leases);
    }
}
