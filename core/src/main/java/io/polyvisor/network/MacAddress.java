package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** MAC addresses of guest NICs. Polyvisor generates them once, at create, and keeps them in the VM's spec. */
public final class MacAddress {
    /** QEMU's prefix (as libvirt uses): unicast, and recognisably a virtual NIC. */
    public static final String PREFIX = "52:54:00";
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private MacAddress() {}

    /** A fresh {@code 52:54:00:xx:xx:xx}. */
    public static String generate(RandomGenerator random) {
        byte[] tail = new byte[3];
        random.nextBytes(tail);
        return PREFIX + ":" + HexFormat.ofDelimiter(":").formatHex(tail);
    }

    /** Validates a user-given MAC: six lower-case hex pairs, unicast (the first octet's lowest bit clear), not all zero. */
    public static String require(String mac) {
        InvalidInput.require(mac != null && MAC.matcher(mac).matches(),
                "mac must be six lower-case hex pairs separated by ':', got '" + Strings.printable(mac) + "'");
        InvalidInput.require((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 0, "mac " + mac + " is a multicast address; a NIC needs a unicast one");
        InvalidInput.require(!mac.equals("00:00:00:00:00:00"), "mac 00:00:00:00:00:00 is not a NIC address");
        return mac;
    }
}
