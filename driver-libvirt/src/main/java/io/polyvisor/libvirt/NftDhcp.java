package io.polyvisor.libvirt;

import io.polyvisor.network.Network;

/**
 * The nftables tables that keep a DHCP network's host-side gateway local to its host ({@code bridge pvdhcp<VNI>} and
 * {@code inet pvdhcp<VNI>}, replaced in one transaction; built from the VNI only):
 * <ul>
 *   <li>nothing the host itself sends on the bridge (DHCP answers, ARP answers for the gateway, all from the VNI's
 *       gateway MAC, the same on every host) leaves through the VXLAN device, and DHCP requests arriving from it are
 *       dropped: each host answers its own guests only;</li>
 *   <li>guests reach the host on the bridge for DHCP only (UDP 67); everything else they send to the host is dropped.</li>
 * </ul>
 */
final class NftDhcp {
    private NftDhcp() {}

    static String table(int vni) {
        return "pvdhcp" + vni;
    }

    /** The script that (re)makes both tables. */
    static String of(int vni) {
        String t = table(vni), br = Network.bridge(vni), vx = Network.vxlan(vni);
        return remove(vni)
                + "table bridge " + t + " {\n"
                + "  chain in {\n    type filter hook input priority 0; policy accept;\n"
                + "    iifname \"" + vx + "\" udp dport 67 drop\n  }\n"
                + "  chain out {\n    type filter hook output priority 0; policy accept;\n"
                + "    oifname \"" + vx + "\" ether saddr " + DhcpServer.gatewayMac(vni) + " drop\n  }\n}\n"
                + "table inet " + t + " {\n"
                + "  chain in {\n    type filter hook input priority 0; policy accept;\n"
                + "    iifname \"" + br + "\" udp dport 67 accept\n"
                + "    iifname \"" + br + "\" drop\n  }\n}\n";
    }

    /** The script that deletes both tables (a no-op when absent). */
    static String remove(int vni) {
        String t = table(vni);
        return "table bridge " + t + " {}\ndelete table bridge " + t + "\ntable inet " + t + " {}\ndelete table inet " + t + "\n";
    }
}
