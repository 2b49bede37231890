package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Strings;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A security group: the ingress its member VMs accept, stateful (answers to accepted traffic pass), default deny,
 * and everything from members of the same group. Enforced on the member's host (docs/NETWORKS.md).
 */
public record SecurityGroup(String name, List<Rule> rules) {
    public static final int MAX_RULES = 64;

    public SecurityGroup {
        Names.requireName("secgroup", name);
        rules = List.copyOf(rules);
        InvalidInput.require(rules.size() <= MAX_RULES, "a security group takes at most " + MAX_RULES + " rules, got " + rules.size());
    }

    public enum Protocol { TCP, UDP, ICMP }

    /** Where allowed traffic may come from: an IPv4 block, or the members of a security group. */
    public sealed interface Source {
        record Block(Ipv4 base, int prefix) implements Source {
            public Block {
                InvalidInput.require(prefix >= 0 && prefix <= 32, "from prefix must be between /0 and /32, got /" + prefix);
                int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
                InvalidInput.require((base.bits() & ~mask) == 0, "from " + base + "/" + prefix + " has host bits set");
            }

            public boolean contains(Ipv4 ip) {
                int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
                return (ip.bits() & mask) == base.bits();
            }

            @Override
            public String toString() {
                return base + "/" + prefix;
            }
        }

        record Group(String name) implements Source {
            public Group {
                Names.requireName("secgroup", name);
            }

            @Override
            public String toString() {
                return "secgroup:" + name;
            }
        }
    }

    /** Allows {@code protocol} to ports {@code fromPort}-{@code toPort} (0-0 for ICMP) from {@code source}. */
    public record Rule(Protocol protocol, int fromPort, int toPort, Source source) {
        private static final Pattern ALLOW = Pattern.compile("(tcp|udp):([0-9]{1,5})(?:-([0-9]{1,5}))?|icmp");
        private static final Pattern BLOCK = Pattern.compile("([0-9.]+)/([0-9]{1,2})");

        public Rule {
            if (protocol == Protocol.ICMP) {
                InvalidInput.require(fromPort == 0 && toPort == 0, "icmp takes no ports");
            } else {
                for (int p : new int[] {fromPort, toPort}) InvalidInput.require(p >= 1 && p <= 65535, "port must be between 1 and 65535, got " + p);
                InvalidInput.require(fromPort <= toPort, "port range " + fromPort + "-" + toPort + " is reversed");
            }
        }

        /** Parses {@code --allow tcp:80[-81]|udp:53|icmp --from CIDR|secgroup:NAME}. */
        public static Rule parse(String allow, String from) {
            Matcher a = allow == null ? null : ALLOW.matcher(allow);
            InvalidInput.require(a != null && a.matches(), "allow must be tcp:PORT[-PORT], udp:PORT[-PORT] or icmp, got '" + Strings.printable(allow) + "'");
            InvalidInput.require(from != null, "from is required (a CIDR such as 10.0.0.0/24, or secgroup:NAME)");
            Source source;
            if (from.startsWith("secgroup:")) {
                source = new Source.Group(from.substring("secgroup:".length()));
            } else {
                Matcher b = BLOCK.matcher(from);
                InvalidInput.require(b.matches(), "from must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got '" + Strings.printable(from) + "'");
                source = new Source.Block(Ipv4.parse("from address", b.group(1)), Integer.parseInt(b.group(2)));
            }
            if (allow.equals("icmp")) return new Rule(Protocol.ICMP, 0, 0, source);
            int lo = Integer.parseInt(a.group(2));
            int hi = a.group(3) == null ? lo : Integer.parseInt(a.group(3));
            return new Rule(Protocol.valueOf(a.group(1).toUpperCase(java.util.Locale.ROOT)), lo, hi, source);
        }

        /** The {@code --allow} form. */
        public String allow() {
            if (protocol == Protocol.ICMP) return "icmp";
            return protocol.name().toLowerCase(java.util.Locale.ROOT) + ":" + fromPort + (toPort == fromPort ? "" : "-" + toPort);
        }
    }
}
