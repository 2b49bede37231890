package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.util.regex.Pattern;

/**
 * A private network: one layer-2 segment across every host, carried between hosts by VXLAN with id {@code vni}.
 * Its name is interface-safe (it may appear in host device names and commands), the gateway an address of the
 * network other than its network and broadcast addresses.
 *
 * @param dhcp whether hosts serve DHCP on it (else guests configure their address statically from the boot command line)
 */
public record Network(String name, Cidr cidr, Ipv4 gateway, boolean dhcp, int vni) {
    /** The user-mode NIC's network name: not a private network, and not a name one may take. */
    public static final String USER = "user";
    public static final int MAX_VNI = (1 << 24) - 1;
    /** The guest-side MTU: a 1500-byte underlay less VXLAN's 50 bytes of outer headers. */
    public static final int GUEST_MTU = 1450;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,14}");

    public Network {
        requireName(name);
        InvalidInput.require(cidr != null, "cidr is required");
        InvalidInput.require(vni >= 1 && vni <= MAX_VNI, "vni must be between 1 and " + MAX_VNI + ", got " + vni);
        gateway = gateway == null ? cidr.firstHost() : gateway;
        InvalidInput.require(cidr.contains(gateway), "gateway " + gateway + " is outside " + cidr);
        InvalidInput.require(!gateway.equals(cidr.base()), "gateway " + gateway + " is the network address of " + cidr);
        InvalidInput.require(!gateway.equals(cidr.broadcast()), "gateway " + gateway + " is the broadcast address of " + cidr);
    }

    /** Validates a network name: 1-15 characters of a-z, 0-9 and '-', starting with a letter, and not {@value USER}. */
    public static String requireName(String name) {
        InvalidInput.require(name != null && NAME.matcher(name).matches(), "network name must be 1-15 characters of a-z, 0-9 and '-',"
                + " starting with a letter (it must be safe in interface names), got '" + Strings.printable(name) + "'");
        InvalidInput.require(!name.equals(USER), "network name 'user' is reserved for user-mode networking");
        return name;
    }

    /** Refuses this network if its addresses overlap another's: a guest's address must name one network only. */
    public void requireApart(java.util.Collection<Network> others) {
        for (Network o : others) {
            if (o.cidr.overlaps(cidr)) {
                throw io.polyvisor.model.Refusal.conflict("cidr " + cidr + " overlaps network " + o.name + " (" + o.cidr + ")");
            }
        }
    }

    /** The host's Linux bridge for this network: derived from the VNI, so every host names it alike. */
    public String bridge() {
        return bridge(vni);
    }

    public static String bridge(int vni) {
        return "pvbr" + vni;
    }

    /** The host's VXLAN device for this network. */
    public static String vxlan(int vni) {
        return "pvvx" + vni;
    }
}
