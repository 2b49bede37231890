package io.polyvisor.libvirt;

import io.polyvisor.network.HostFirewall;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.SecurityGroup;

import java.util.List;

/**
 * The nftables script for a {@link HostFirewall}: the table {@code inet polyvisor} deleted and made again in one
 * transaction (so the old rules hold until the new ones are whole), or only deleted when nothing is guarded. Two base
 * chains on the forward hook: {@code egress} (priority 0) then {@code ingress} (priority 10). An {@code accept} ends only
 * its own base chain and a {@code drop} ends the packet, so new traffic between two guarded addresses passes only if the
 * sender's egress and the receiver's ingress both allow it. A guarded NIC is pinned first ({@link #pin}). Every value in
 * the script is typed and checked (IPv4 literals, MACs, prefixes, port numbers, a protocol enum): no text from a user.
 */
final class NftRuleset {
    static final String TABLE = "polyvisor";

    private NftRuleset() {}

    static String of(HostFirewall fw) {
        var s = new StringBuilder("table inet " + TABLE + " {}\ndelete table inet " + TABLE + "\n");
        if (fw.guards().isEmpty()) return s.toString();
        s.append("table inet ").append(TABLE).append(" {\n");
        s.append("  chain egress {\n    type filter hook forward priority 0; policy accept;\n");
        for (var g : fw.guards()) if (g.mac() != null) pin(s, g);
        s.append("    ct state established,related accept\n");
        for (var g : fw.guards()) {
            if (g.restrictEgress()) guard(s, "saddr", "daddr", g.address(), g.egress());
        }
        s.append("  }\n");
        chain(s, "ingress", 10);
        for (var g : fw.guards()) guard(s, "daddr", "saddr", g.address(), g.ingress());
        return s.append("  }\n}\n").toString();
    }

    /**
     * Pins a guarded NIC (before connection tracking, so no earlier flow escapes): IPv4 from its MAC with another source
     * address is dropped (no spoofing past the guards), and IPv6 from or to its MAC (the guards match IPv4 only).
     */
    private static void pin(StringBuilder s, HostFirewall.Guard g) {
        String mac = mac(g.mac()), ip = Ipv4.parse("guarded address", g.address()).toString();
        s.append("    ether saddr ").append(mac).append(" meta nfproto ipv6 drop\n");
        s.append("    ether daddr ").append(mac).append(" meta nfproto ipv6 drop\n");
        s.append("    ether saddr ").append(mac).append(" ip saddr != ").append(ip).append(" drop\n");
    }

    private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private static String mac(String mac) {
        if (!MAC.matcher(mac).matches()) throw new IllegalArgumentException("bad mac " + mac);
        return mac;
    }

    private static void chain(StringBuilder s, String name, int priority) {
        s.append("  chain ").append(name).append(" {\n    type filter hook forward priority ").append(priority).append("; policy accept;\n");
        s.append("    ct state established,related accept\n");
    }

    /** The guest's allows ({@code self} = its address, {@code other} = the far end), then a drop of the rest of its new traffic. */
    private static void guard(StringBuilder s, String self, String other, String address, List<HostFirewall.Allow> allows) {
        String guest = Ipv4.parse("guarded address", address).toString();
        for (var a : allows) {
            var remote = new SecurityGroup.Remote.Block(a.remote().base(), a.remote().prefix());
            s.append("    ip ").append(self).append(' ').append(guest).append(" ip ").append(other).append(' ').append(remote).append(match(a)).append(" accept\n");
        }
        s.append("    ip ").append(self).append(' ').append(guest).append(" drop\n");
    }

    private static String match(HostFirewall.Allow a) {
        return switch (a.protocol()) {
            case ANY -> "";
            case ICMP -> " ip protocol icmp";
            case TCP -> " tcp dport " + ports(a);
            case UDP -> " udp dport " + ports(a);
        };
    }

    private static String ports(HostFirewall.Allow a) {
        if (a.fromPort() < 1 || a.toPort() > 65535 || a.fromPort() > a.toPort()) {
            throw new IllegalArgumentException("bad port range " + a.fromPort() + "-" + a.toPort());
        }
        return a.fromPort() == a.toPort() ? Integer.toString(a.fromPort()) : a.fromPort() + "-" + a.toPort();
    }
}
