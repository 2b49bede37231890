package io.polyvisor.model;

import java.util.regex.Pattern;

/**
 * A virtual network interface. {@code network} names a Polyvisor private network, or {@code user} for
 * user-mode networking (NAT through the hypervisor process, no bridge needed). On a private network the MAC
 * and the address are given once, when the VM is created, and kept in its spec from then on: a NIC keeps both
 * through restarts, live migration and HA restarts. {@code ip} is null on {@code user} NICs, and on a private
 * network's NIC only until its create assigns one.
 */
public record Nic(String network, String mac, String ip) {
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Pattern IP = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    public Nic {
        network = network == null || network.isEmpty() ? "user" : Names.requireName("network", network);
        InvalidInput.require(mac == null || MAC.matcher(mac).matches(),
                "mac must be six lower-case hex pairs separated by ':', got '" + Strings.printable(mac) + "'");
        InvalidInput.require(ip == null || IP.matcher(ip).matches(),
                "address must be an IPv4 address such as 10.0.0.5, got '" + Strings.printable(ip) + "'");
        InvalidInput.require(ip == null || !network.equals("user"), "a user-mode NIC takes no address");
    }

    public Nic(String network, String mac) {
        this(network, mac, null);
    }

    public static Nic user() {
        return new Nic("user", null, null);
    }

    /** Whether this NIC is on a Polyvisor private network (not user-mode networking). */
    public boolean privateNetwork() {
        return !network.equals("user");
    }
}
