package io.polyvisor.network;

import io.polyvisor.model.Nic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Security groups to host firewalls, pure: which addresses a host guards and what each accepts and may open. A guest
 * in at least one group gets a guard on each of its private addresses:
 * <ul>
 *   <li>ingress: the ingress rules of all its groups, and anything from members of its own groups;</li>
 *   <li>egress: open when none of its groups has an egress rule; otherwise the egress rules of all its groups, and
 *       anything to members of its own groups.</li>
 * </ul>
 * A rule with {@code secgroup:NAME} means each address of that group's members (/32). Each guard carries its NIC's MAC,
 * which pins the NIC to its address (see {@link HostFirewall}).
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
            var ingress = new LinkedHashSet<HostFirewall.Allow>();
            var egress = new LinkedHashSet<HostFirewall.Allow>();
            boolean restrictEgress = false;
            for (String name : g.groups()) {
                SecurityGroup sg = groups.get(name);
                if (sg == null) continue;
                restrictEgress |= sg.restrictsEgress();
                for (var r : sg.rules()) {
                    allows(r, all).forEach((r.direction() == SecurityGroup.Direction.INGRESS ? ingress : egress)::add);
                }
                for (Ipv4 ip : addressesOf(all, name)) {
                    var member = new HostFirewall.Allow(SecurityGroup.Protocol.ANY, 0, 0, new SecurityGroup.Remote.Block(ip, 32));
                    ingress.add(member);
                    egress.add(member);
                }
            }
            for (Nic n : g.nics()) {
                if (n.privateNetwork() && n.ip() != null) {
                    guards.add(new HostFirewall.Guard(n.ip(), n.mac(), List.copyOf(ingress), restrictEgress, restrictEgress ? List.copyOf(egress) : List.of()));
                }
            }
        }
        return new HostFirewall(guards);
    }

    /** A rule's allows: one for a block, one per member address for {@code secgroup:NAME}. */
    private static List<HostFirewall.Allow> allows(SecurityGroup.Rule r, List<Guest> all) {
        return switch (r.remote()) {
            case SecurityGroup.Remote.Block b -> List.of(new HostFirewall.Allow(r.protocol(), r.fromPort(), r.toPort(), b));
            case SecurityGroup.Remote.Group other -> addressesOf(all, other.name()).stream()
                    .map(ip -> new HostFirewall.Allow(r.protocol(), r.fromPort(), r.toPort(), new SecurityGroup.Remote.Block(ip, 32))).toList();
        };
    }

    private static List<Ipv4> addressesOf(List<Guest> all, String group) {
        var out = new ArrayList<Ipv4>();
        for (Guest g : all) {
            if (!g.groups().contains(group)) continue;
            for (Nic n : g.nics()) if (n.privateNetwork() && n.ip() != null) out.add(Ipv4.parse("address", n.ip()));
        }
        return out;
    }

    /** Whether {@code fw} lets new {@code protocol} traffic from {@code source} to {@code address}:{@code port} in (ingress). */
    public static boolean admits(HostFirewall fw, String address, Ipv4 source, SecurityGroup.Protocol protocol, int port) {
        for (var guard : fw.guards()) {
            if (!guard.address().equals(address)) continue;
            return guard.ingress().stream().anyMatch(a -> a.matches(source, protocol, port));
        }
        return true;
    }

    /** Whether {@code fw} lets new {@code protocol} traffic from {@code address} to {@code destination}:{@code port} out (egress). */
    public static boolean sends(HostFirewall fw, String address, Ipv4 destination, SecurityGroup.Protocol protocol, int port) {
        for (var guard : fw.guards()) {
            if (!guard.address().equals(address)) continue;
            return !guard.restrictEgress() || guard.egress().stream().anyMatch(a -> a.matches(destination, protocol, port));
        }
        return true;
    }
}
