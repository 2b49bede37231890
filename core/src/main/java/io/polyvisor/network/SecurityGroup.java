package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Strings;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A security group: what its member VMs accept (ingress rules) and, once it has an egress rule, what they may open
 * (egress rules), stateful (answers to allowed traffic pass both ways). Ingress is default deny except from members of
 * the same group; egress is open until a member's groups have an egress rule, then default deny except to members of
 * its own groups. Enforced on the member's host (docs/NETWORKS.md).
 */
public record SecurityGroup(String name, List<Rule> rules) {
    public static final int MAX_RULES = 64;

    public SecurityGroup {
        Names.requireName("secgroup", name);
        rules = List.copyOf(rules);
        InvalidInput.require(rules.size() <= MAX_RULES, "a security group takes at most " + MAX_RULES + " rules, got " + rules.size());
    }

    /**
     * This group with {@code rule} added after the others. Refused (409) when it has that rule already, and (400) past
     * {@link #MAX_RULES}.
     */
    public SecurityGroup with(Rule rule) {
        if (rules.contains(rule)) throw io.polyvisor.model.Refusal.conflict("security group " + name + " already has rule " + rule.text());
        var next = new java.util.ArrayList<>(rules);
        next.add(rule);
        return new SecurityGroup(name, next);
    }

    /** This group without {@code rule}; refused (404) when it has no such rule. */
    public SecurityGroup without(Rule rule) {
        if (!rules.contains(rule)) throw io.polyvisor.model.Refusal.notFound("security group " + name + " has no rule " + rule.text());
        return new SecurityGroup(name, rules.stream().filter(r -> !r.equals(rule)).toList());
    }

    /** Whether some rule restricts egress: then members may open only what the egress rules allow. */
    public boolean restrictsEgress() {
        return rules.stream().anyMatch(r -> r.direction() == Direction.EGRESS);
    }

    /** {@code ANY}: every IPv4 protocol, no ports. */
    public enum Protocol { TCP, UDP, ICMP, ANY;
        public boolean hasPorts() {
            return this == TCP || this == UDP;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Ingress: traffic to the members, from the remote. Egress: traffic from the members, to the remote. */
    public enum Direction { INGRESS, EGRESS;
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The field naming the remote in this direction: {@code from} for ingress, {@code to} for egress. */
        public String remoteField() {
            return this == INGRESS ? "from" : "to";
        }

        public static Direction parse(String text) {
            if ("ingress".equals(text)) return INGRESS;
            if ("egress".equals(text)) return EGRESS;
            throw new InvalidInput("direction must be ingress or egress, got '" + Strings.printable(text) + "'");
        }
    }

    /** The other end of allowed traffic: an IPv4 block, or the members of a security group. */
    public sealed interface Remote {
        record Block(Ipv4 base, int prefix) implements Remote {
            public Block {
                InvalidInput.require(prefix >= 0 && prefix <= 32, "cidr prefix must be between /0 and /32, got /" + prefix);
                InvalidInput.require((base.bits() & ~mask(prefix)) == 0, "cidr " + base + "/" + prefix + " has host bits set");
            }

            static int mask(int prefix) {
                return prefix == 0 ? 0 : -1 << (32 - prefix);
            }

            public boolean contains(Ipv4 ip) {
                return (ip.bits() & mask(prefix)) == base.bits();
            }

            @Override
            public String toString() {
                return base + "/" + prefix;
            }
        }

        record Group(String name) implements Remote {
            public Group {
                Names.requireName("secgroup", name);
            }

            @Override
            public String toString() {
                return "secgroup:" + name;
            }
        }
    }

    /**
     * Allows {@code protocol} to ports {@code fromPort}-{@code toPort} (0-0 for ICMP and ANY) in {@code direction}, with
     * {@code remote} at the other end. The port range is the destination port in both directions.
     */
    public record Rule(Direction direction, Protocol protocol, int fromPort, int toPort, Remote remote) {
        private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");
        private static final Pattern BLOCK = Pattern.compile("([0-9.]+)/([0-9]{1,2})");

        public Rule {
            if (!protocol.hasPorts()) {
                InvalidInput.require(fromPort == 0 && toPort == 0, protocol.word() + " takes no ports");
            } else {
                for (int p : new int[] {fromPort, toPort}) InvalidInput.require(p >= 1 && p <= 65535, "port must be between 1 and 65535, got " + p);
                InvalidInput.require(fromPort <= toPort, "port range " + fromPort + "-" + toPort + " is reversed");
            }
        }

        /**
         * A rule as the API and the CLI write it: {@code direction} ingress (the default, when null) with {@code from}, or
         * egress with {@code to}; the other of the two must be absent.
         */
        public static Rule parse(String direction, String allow, String from, String to) {
            Direction d = direction == null ? Direction.INGRESS : Direction.parse(direction);
            String other = d == Direction.INGRESS ? to : from;
            String otherField = d == Direction.INGRESS ? "to" : "from";
            InvalidInput.require(other == null, "an " + d.word() + " rule takes '" + d.remoteField() + "', not '" + otherField + "'");
            return parse(d, allow, d == Direction.INGRESS ? from : to);
        }

        /** An ingress rule: {@code --allow tcp:80[-81]|udp:53|icmp|any --from CIDR|secgroup:NAME}. */
        public static Rule parse(String allow, String from) {
            return parse(Direction.INGRESS, allow, from);
        }

        /** A rule in {@code direction}; {@code remote} is the {@code from} of an ingress rule, the {@code to} of an egress one. */
        public static Rule parse(Direction direction, String allow, String remote) {
            InvalidInput.require(allow != null, "allow is required (tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any)");
            String field = direction.remoteField();
            InvalidInput.require(remote != null, "an " + direction.word() + " rule needs '" + field + "' (a CIDR such as 10.0.0.0/24, or secgroup:NAME)");
            Remote r = remote(field, remote);
            int colon = allow.indexOf(':');
            String proto = colon < 0 ? allow : allow.substring(0, colon);
            Protocol p = switch (proto) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                case "icmp" -> Protocol.ICMP;
                case "any" -> Protocol.ANY;
                default -> throw new InvalidInput("unknown protocol '" + Strings.printable(proto) + "' in allow '" + Strings.printable(allow)
                        + "': use tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any");
            };
            if (!p.hasPorts()) {
                InvalidInput.require(colon < 0, p.word() + " takes no ports, got '" + Strings.printable(allow) + "'");
                return new Rule(direction, p, 0, 0, r);
            }
            Matcher m = PORTS.matcher(colon < 0 ? "" : allow.substring(colon + 1));
            InvalidInput.require(m.matches(), p.word() + " needs a port or a port range such as " + p.word() + ":80 or " + p.word()
                    + ":8000-8080, got '" + Strings.printable(allow) + "'");
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            return new Rule(direction, p, lo, hi, r);
        }

        private static Remote remote(String field, String text) {
            if (text.startsWith("secgroup:")) return new Remote.Group(text.substring("secgroup:".length()));
            Matcher b = BLOCK.matcher(text);
            InvalidInput.require(b.matches(), field + " must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got '" + Strings.printable(text) + "'");
            Ipv4 base = Ipv4.parse(field + " address", b.group(1));
            int prefix = Integer.parseInt(b.group(2));
            InvalidInput.require(prefix <= 32, field + " prefix must be between /0 and /32, got /" + prefix);
            var network = new Ipv4(base.bits() & Remote.Block.mask(prefix));
            InvalidInput.require(network.equals(base), field + " " + text + " has host bits set; the block is " + network + "/" + prefix);
            return new Remote.Block(base, prefix);
        }

        /** As a person writes it: {@code ingress tcp:80 from 10.0.0.0/24}. */
        public String text() {
            return direction.word() + " " + allow() + " " + direction.remoteField() + " " + remote;
        }

        /** The {@code --allow} form. */
        public String allow() {
            if (!protocol.hasPorts()) return protocol.word();
            return protocol.word() + ":" + fromPort + (toPort == fromPort ? "" : "-" + toPort);
        }
    }
}
