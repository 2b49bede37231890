package io.polyvisor.network;


import java.util.List;

/**
 * The ingress filter one host applies to its guests' private addresses (security groups, resolved by the server to
 * addresses): traffic to a guarded address passes only if it answers traffic that was accepted (stateful), or matches
 * one of the address's allows; traffic to unguarded addresses is not filtered. Empty: nothing is filtered.
 */
public record HostFirewall(List<Guard> guards) {
    public static final HostFirewall NONE = new HostFirewall(List.of());

    public HostFirewall {
        guards = List.copyOf(guards);
    }

    /** @param address a guest's private address (dotted quad) */
    public record Guard(String address, List<Allow> allows) {
        public Guard {
            Ipv4.parse("guarded address", address);
            allows = List.copyOf(allows);
        }
    }

    /**
     * @param source an IPv4 block {@code a.b.c.d/n}
     * @param fromPort 0 for ICMP
     */
    public record Allow(SecurityGroup.Protocol protocol, int fromPort, int toPort, SecurityGroup.Source.Block source) {}
}
