package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

import java.util.regex.Pattern;

/** An IPv4 address as its 32 bits (unsigned order by {@link #compareTo}). Written in dotted quads, no leading zeros. */
public record Ipv4(int bits) implements Comparable<Ipv4> {
    private static final Pattern QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    /** Parses {@code a.b.c.d}; {@code what} names the value in the message ({@code gateway must be an IPv4 address ...}). */
    public static Ipv4 parse(String what, String text) {
        InvalidInput.require(text != null && QUAD.matcher(text).matches(),
                what + " must be an IPv4 address such as 10.0.0.5, got '" + Strings.printable(text) + "'");
        int bits = 0;
        for (String part : text.split("\\.")) {
            int octet = Integer.parseInt(part);
            InvalidInput.require(octet <= 255, what + " must be an IPv4 address such as 10.0.0.5, got '" + text + "'");
            bits = (bits << 8) | octet;
        }
        return new Ipv4(bits);
    }

    public Ipv4 plus(long n) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + n));
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 255) + "." + ((bits >>> 16) & 255) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
    }
}
