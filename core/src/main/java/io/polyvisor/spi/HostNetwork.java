package io.polyvisor.spi;

import io.polyvisor.network.Network;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A private network as one host carries it: the network, and the underlay addresses of the other hosts its
 * traffic is sent to (VXLAN head-end replication: every frame the host does not know the place of goes to each
 * peer, so no multicast is needed).
 */
public record HostNetwork(Network network, SortedSet<String> peers) {
    public HostNetwork {
        peers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(peers));
    }

    public static HostNetwork of(Network network, Set<String> peers) {
        return new HostNetwork(network, new TreeSet<>(peers));
    }
}
