package io.polyvisor.model;

import java.util.regex.Pattern;

/**
 * A virtual network interface. {@code network} names a hypervisor network, or {@code user} for
 * user-mode networking (NAT through the hypervisor process, no bridge needed).
 */
public record Nic(String network, String mac) {
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    public Nic {
        network = network == null || network.isEmpty() ? "user" : Names.requireName("network", network);
        InvalidInput.require(mac == null || MAC.matcher(mac).matches(),
                "mac must be six lower-case hex pairs separated by ':', got '" + Strings.printable(mac) + "'");
    }

    public static Nic user() {
        return new Nic("user", null);
    }
}
