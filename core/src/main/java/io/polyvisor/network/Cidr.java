package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Strings;

/**
 * An IPv4 network {@code base/prefix} with no host bits set. Prefixes from /8 to /29: a network needs room for its
 * network and broadcast addresses, a gateway and at least a few guests; a shorter prefix than /8 is never a tenant network.
 */
public record Cidr(Ipv4 base, int prefix) {
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 29;

    public Cidr {
        InvalidInput.require(prefix >= MIN_PREFIX && prefix <= MAX_PREFIX,
                "cidr prefix must be between /" + MIN_PREFIX + " and /" + MAX_PREFIX + ", got /" + prefix);
        InvalidInput.require((base.bits() & ~mask(prefix)) == 0, "cidr " + base + "/" + prefix + " has host bits set; the network is "
                + new Ipv4(base.bits() & mask(prefix)) + "/" + prefix);
    }

    /** Parses {@code a.b.c.d/n}. */
    public static Cidr parse(String text) {
        String t = text == null ? "" : text;
        int slash = t.indexOf('/');
        InvalidInput.require(slash > 0 && t.substring(slash + 1).matches("[0-9]{1,2}"),
                "cidr must be an IPv4 network such as 10.0.0.0/24, got '" + Strings.printable(text) + "'");
        return new Cidr(Ipv4.parse("cidr address", t.substring(0, slash)), Integer.parseInt(t.substring(slash + 1)));
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public Ipv4 broadcast() {
        return base.plus(size() - 1);
    }

    public Ipv4 firstHost() {
        return base.plus(1);
    }

    public boolean contains(Ipv4 ip) {
        return (ip.bits() & mask(prefix)) == base.bits();
    }

    /** Whether the two networks share any address (one then contains the other's base). */
    public boolean overlaps(Cidr other) {
        return contains(other.base) || other.contains(base);
    }

    @Override
    public String toString() {
        return base + "/" + prefix;
    }
}
