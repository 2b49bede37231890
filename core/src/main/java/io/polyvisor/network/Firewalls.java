package io.polyvisor.network;

import io.polyvisor.model.Nic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Security groups to host firewalls, pure: which addresses a host guards and what each accepts. A guest in at least
 * one group gets a guard on each of its private addresses accepting the rules of all its groups (a rule from
 * {@code secgroup:NAME} means from each address of that group's members) and anything from members of its own groups.
 */
public final class Firewalls {
    /** A VM as the firewall sees it: its id, NICs and the groups it is in. */
    public record Guest(UUID id, List<Nic> nics, Set<String> groups) {}

    private Firewalls() {}

    /** The firewall for a host whose guests are {@code onHost}, given every guest's groups ({@code all}) and the groups. */
    public static HostFirewall forHost(List<Guest> onHost, List<Guest> all, Map<String, SecurityGroup> groups) {
        var guards = new ArrayList<HostFirewall.Guard>();
        for (Guest g : onHost) {
            if (g.groups().isEmpty()) continue;
            var allows = new LinkedHashSet<HostFirewall.Allow>();
            for (String name : g.groups()) {
                SecurityGroup sg = groups.get(name);
                if (sg == null) continue;
                for (var r : sg.rules()) {
                    switch (r.source()) {
                        case SecurityGroup.Source.Block b -> allows.add(new HostFirewall.Allow(r.protocol(), r.fromPort(), r.toPort(), b));
                        case SecurityGroup.Source.Group from -> {
                            for (Ipv4 ip : addressesOf(all, from.name())) {
                                allows.add(new HostFirewall.Allow(r.protocol(), r.fromPort(), r.toPort(), new SecurityGroup.Source.Block(ip, 32)));
                            }
                        }
                    }
                }
                for (Ipv4 ip : addressesOf(all, name)) {
                    for (var p : SecurityGroup.Protocol.values()) {
                        boolean ports = p != SecurityGroup.Protocol.ICMP;
                        allows.add(new HostFirewall.Allow(p, ports ? 1 : 0, ports ? 65535 : 0, new SecurityGroup.Source.Block(ip, 32)));
                    }
                }
            }
            for (Nic n : g.nics()) {
                if (n.privateNetwork() && n.ip() != null) guards.add(new HostFirewall.Guard(n.ip(), List.copyOf(allows)));
            }
        }
        return new HostFirewall(guards);
    }

    private static List<Ipv4> addressesOf(List<Guest> all, String group) {
        var out = new ArrayList<Ipv4>();
        for (Guest g : all) {
            if (!g.groups().contains(group)) continue;
            for (Nic n : g.nics()) if (n.privateNetwork() && n.ip() != null) out.add(Ipv4.parse("address", n.ip()));
        }
        return out;
    }

    /** Whether {@code fw} lets {@code protocol} traffic from {@code source} to {@code address}:{@code port} in (new traffic). */
    public static boolean admits(HostFirewall fw, String address, Ipv4 source, SecurityGroup.Protocol protocol, int port) {
        for (var guard : fw.guards()) {
            if (!guard.address().equals(address)) continue;
            return guard.allows().stream().anyMatch(a -> a.protocol() == protocol && a.source().contains(source)
                    && (protocol == SecurityGroup.Protocol.ICMP || (port >= a.fromPort() && port <= a.toPort())));
        }
        return true;
    }
}
