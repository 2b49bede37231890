package io.polyvisor.libvirt;

import io.polyvisor.network.HostFirewall;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.SecurityGroup;

/**
 * The nftables script for a {@link HostFirewall}: the table {@code inet polyvisor} deleted and made again in one
 * transaction (so the old rules hold until the new ones are whole), or only deleted when nothing is guarded. Every
 * value in it is typed and checked (IPv4 literals, prefixes, port numbers, a protocol enum): no text from a user.
 */
final class NftRuleset {
    private NftRuleset() {}

    static String of(HostFirewall fw) {
        var s = new StringBuilder("table inet polyvisor {}\ndelete table inet polyvisor\n");
        if (fw.guards().isEmpty()) return s.toString();
        s.append("table inet polyvisor {\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
        s.append("    ct state established,related accept\n");
        for (var g : fw.guards()) {
            String to = Ipv4.parse("guarded address", g.address()).toString();
            for (var a : g.allows()) {
                var from = new SecurityGroup.Source.Block(a.source().base(), a.source().prefix());
                s.append("    ip daddr ").append(to).append(" ip saddr ").append(from).append(' ').append(match(a)).append(" accept\n");
            }
            s.append("    ip daddr ").append(to).append(" drop\n");
        }
        return s.append("  }\n}\n").toString();
    }

    private static String match(HostFirewall.Allow a) {
        return switch (a.protocol()) {
            case ICMP -> "ip protocol icmp";
            case TCP -> "tcp dport " + ports(a);
            case UDP -> "udp dport " + ports(a);
        };
    }

    private static String ports(HostFirewall.Allow a) {
        if (a.fromPort() < 1 || a.toPort() > 65535 || a.fromPort() > a.toPort()) {
            throw new IllegalArgumentException("bad port range " + a.fromPort() + "-" + a.toPort());
        }
        return a.fromPort() == a.toPort() ? Integer.toString(a.fromPort()) : a.fromPort() + "-" + a.toPort();
    }
}
