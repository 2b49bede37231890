package io.polyvisor.network;


import java.util.List;

/**
 * The filter one host applies to its guests' private addresses (security groups, resolved by the server to
 * addresses). Traffic that answers or relates to accepted traffic always passes (stateful). New traffic to a guarded
 * address passes only if one of its {@code ingress} allows matches; new traffic from a guarded address whose egress is
 * restricted passes only if one of its {@code egress} allows matches (both must hold between two guarded addresses).
 * A guard with the NIC's MAC also pins the NIC: IPv4 from that MAC with another source address, and any IPv6 from or
 * to it, is dropped (private networks are IPv4; the guards could not filter IPv6). Traffic of unguarded addresses is
 * not filtered. Empty: nothing is filtered.
 */
public record HostFirewall(List<Guard> guards) {
    public static final HostFirewall NONE = new HostFirewall(List.of());

    public HostFirewall {
        guards = List.copyOf(guards);
    }

    /**
     * @param address a guest's private address (dotted quad)
     * @param mac the MAC of the NIC holding it ({@code 52:54:00:..}), or null: then the NIC is not pinned
     * @param ingress what new traffic to it may come from
     * @param restrictEgress whether new traffic from it is filtered at all (false: it may open anything)
     * @param egress what new traffic from it may go to, when {@code restrictEgress}; empty otherwise
     */
    public record Guard(String address, String mac, List<Allow> ingress, boolean restrictEgress, List<Allow> egress) {
        public Guard {
            Ipv4.parse("guarded address", address);
            if (mac != null) new io.polyvisor.model.Nic("guard", mac, null); // checks the MAC's form
            ingress = List.copyOf(ingress);
            egress = List.copyOf(egress);
            if (!restrictEgress && !egress.isEmpty()) throw new IllegalArgumentException("egress allows on a guard that does not restrict egress");
        }

        /** A guard on ingress only, of a NIC not pinned. */
        public Guard(String address, List<Allow> ingress) {
            this(address, null, ingress, false, List.of());
        }
    }

    /**
     * Lets {@code protocol} traffic to destination ports {@code fromPort}-{@code toPort} (0-0 for ICMP and ANY) pass
     * when the other end is in {@code remote} (the source for ingress, the destination for egress).
     */
    public record Allow(SecurityGroup.Protocol protocol, int fromPort, int toPort, SecurityGroup.Remote.Block remote) {
        /** Whether new {@code protocol} traffic to {@code port}, with {@code other} at the far end, matches. */
        public boolean matches(Ipv4 other, SecurityGroup.Protocol protocol, int port) {
            if (!remote.contains(other)) return false;
            if (this.protocol == SecurityGroup.Protocol.ANY) return true;
            return this.protocol == protocol && (!protocol.hasPorts() || (port >= fromPort && port <= toPort));
        }
    }
}
