package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;

import java.util.Set;

/**
 * Address management, pure: which address a new NIC on a network gets. The store's unique index on
 * (network, address) is what guarantees no two NICs share one; this picks the address and words the refusals.
 */
public final class Addresses {
    private Addresses() {}

    /**
     * The address for a new NIC: {@code requested} if given and free, else the lowest free guest address.
     *
     * @param taken addresses NICs on the network hold now
     * @throws InvalidInput if {@code requested} is not a guest address of the network
     * @throws Refusal (conflict) if it is taken, or if the network has no free address
     */
    public static Ipv4 pick(Network net, Set<Ipv4> taken, Ipv4 requested) {
        if (requested != null) {
            requireGuestAddress(net, requested);
            if (taken.contains(requested)) throw Refusal.conflict("address " + requested + " on network " + net.name() + " is taken");
            return requested;
        }
        for (Ipv4 ip = net.cidr().firstHost(); ip.compareTo(net.cidr().broadcast()) < 0; ip = ip.plus(1)) {
            if (!ip.equals(net.gateway()) && !taken.contains(ip)) return ip;
        }
        throw Refusal.conflict("network " + net.name() + " (" + net.cidr() + ") has no free address");
    }

    /** Refuses an address a guest may not hold on {@code net}, with the reason. */
    public static void requireGuestAddress(Network net, Ipv4 ip) {
        String where = "network " + net.name() + " (" + net.cidr() + ")";
        InvalidInput.require(net.cidr().contains(ip), "address " + ip + " is outside " + where);
        InvalidInput.require(!ip.equals(net.cidr().base()), "address " + ip + " is the network address of " + where);
        InvalidInput.require(!ip.equals(net.cidr().broadcast()), "address " + ip + " is the broadcast address of " + where);
        InvalidInput.require(!ip.equals(net.gateway()), "address " + ip + " is the gateway of " + where);
    }
}
