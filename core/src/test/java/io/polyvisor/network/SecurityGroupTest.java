package io.polyvisor.network;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.polyvisor.network.SecurityGroup.Protocol.ICMP;
import static io.polyvisor.network.SecurityGroup.Protocol.TCP;
import static io.polyvisor.network.SecurityGroup.Protocol.UDP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Security group rules as users write them, and the firewall a host gets from them. */
class SecurityGroupTest {
    static Ipv4 ip(String s) {
        return Ipv4.parse("ip", s);
    }

    @Test
    void rulesParseOrAreRefusedWithTheReason() {
        var r = SecurityGroup.Rule.parse("tcp:8000-8080", "10.1.0.0/24");
        assertThat(r.protocol()).isEqualTo(TCP);
        assertThat(r.allow()).isEqualTo("tcp:8000-8080");
        assertThat(r.remote().toString()).isEqualTo("10.1.0.0/24");
        assertThat(SecurityGroup.Rule.parse("icmp", "secgroup:web").remote()).isEqualTo(new SecurityGroup.Remote.Group("web"));
        assertThat(SecurityGroup.Rule.parse("udp:53", "0.0.0.0/0").allow()).isEqualTo("udp:53");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("http", "10.0.0.0/8")).isInstanceOf(InvalidInput.class)
                .hasMessage("unknown protocol 'http' in allow 'http': use tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:0", "10.0.0.0/8")).hasMessage("port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:90-80", "10.0.0.0/8")).hasMessage("port range 90-80 is reversed");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "10.0.0.1/8")).hasMessage("from 10.0.0.1/8 has host bits set; the block is 10.0.0.0/8");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "anywhere"))
                .hasMessage("from must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got 'anywhere'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "secgroup:Bad_Name")).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("sctp:80", "10.0.0.0/8"))
                .hasMessage("unknown protocol 'sctp' in allow 'sctp:80': use tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp", "10.0.0.0/8"))
                .hasMessage("tcp needs a port or a port range such as tcp:80 or tcp:8000-8080, got 'tcp'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("udp:5x", "10.0.0.0/8"))
                .hasMessage("udp needs a port or a port range such as udp:80 or udp:8000-8080, got 'udp:5x'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("icmp:8", "10.0.0.0/8")).hasMessage("icmp takes no ports, got 'icmp:8'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "10.0.0.0/33")).hasMessage("from prefix must be between /0 and /32, got /33");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "10.0.0.256/32"))
                .hasMessage("from address must be an IPv4 address such as 10.0.0.5, got '10.0.0.256'");
    }

    @Test
    void egressRulesNameWhereTrafficGoesAndEachDirectionTakesItsOwnField() {
        var r = SecurityGroup.Rule.parse("egress", "tcp:443", null, "0.0.0.0/0");
        assertThat(r.direction()).isEqualTo(SecurityGroup.Direction.EGRESS);
        assertThat(r.remote().toString()).isEqualTo("0.0.0.0/0");
        assertThat(SecurityGroup.Rule.parse(null, "any", "10.0.0.0/8", null).direction()).as("ingress by default").isEqualTo(SecurityGroup.Direction.INGRESS);
        assertThat(SecurityGroup.Rule.parse("egress", "any", null, "secgroup:db").allow()).isEqualTo("any");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("out", "tcp:80", null, "10.0.0.0/8")).hasMessage("direction must be ingress or egress, got 'out'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("egress", "tcp:80", "10.0.0.0/8", null)).hasMessage("an egress rule takes 'to', not 'from'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("ingress", "tcp:80", null, "10.0.0.0/8")).hasMessage("an ingress rule takes 'from', not 'to'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("egress", "tcp:80", null, null))
                .hasMessage("an egress rule needs 'to' (a CIDR such as 10.0.0.0/24, or secgroup:NAME)");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("egress", "tcp:90-80", null, "10.0.0.0/8")).hasMessage("port range 90-80 is reversed");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("egress", "tcp:80", null, "10.1.2.3/16"))
                .hasMessage("to 10.1.2.3/16 has host bits set; the block is 10.1.0.0/16");
        assertThat(new SecurityGroup("web", List.of(SecurityGroup.Rule.parse("tcp:80", "10.0.0.0/8"))).restrictsEgress()).isFalse();
        assertThat(new SecurityGroup("web", List.of(r)).restrictsEgress()).isTrue();
    }

    @Test
    void egressIsOpenUntilAGroupHasAnEgressRuleThenOnlyItsRulesAndTheGroupsMembers() {
        var out = new SecurityGroup("out", List.of(SecurityGroup.Rule.parse("tcp:80", "10.1.0.0/24"),
                SecurityGroup.Rule.parse("egress", "tcp:80", null, "10.1.0.0/24"), SecurityGroup.Rule.parse("egress", "udp:53", null, "secgroup:dns")));
        var web = new SecurityGroup("web", List.of(SecurityGroup.Rule.parse("tcp:80", "10.1.0.0/24")));
        var dns = new SecurityGroup("dns", List.of());
        var a = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0a", "10.1.0.2")), Set.of("out"));
        var mate = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0c", "10.1.0.3")), Set.of("out"));
        var b = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0b", "10.1.0.11")), Set.of("web"));
        var resolver = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("other", "52:54:00:00:00:0d", "10.2.0.5")), Set.of("dns"));
        var all = List.of(a, mate, b, resolver);
        var groups = Map.of("out", out, "web", web, "dns", dns);
        var fw = Firewalls.forHost(List.of(a, b), all, groups);
        assertThat(fw.guards()).extracting(HostFirewall.Guard::address, HostFirewall.Guard::mac, HostFirewall.Guard::restrictEgress)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.1.0.2", "52:54:00:00:00:0a", true),
                        org.assertj.core.groups.Tuple.tuple("10.1.0.11", "52:54:00:00:00:0b", false));
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.1.0.11"), TCP, 80)).isTrue();
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.1.0.11"), TCP, 8080)).as("no egress rule for 8080").isFalse();
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.9.0.1"), TCP, 80)).as("outside the rule's block").isFalse();
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.1.0.11"), ICMP, 0)).isFalse();
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.2.0.5"), UDP, 53)).as("to secgroup:dns").isTrue();
        assertThat(Firewalls.sends(fw, "10.1.0.2", ip("10.1.0.3"), UDP, 9999)).as("to a member of its own group: anything").isTrue();
        assertThat(Firewalls.sends(fw, "10.1.0.11", ip("10.9.9.9"), TCP, 22)).as("web has no egress rule: open").isTrue();
        assertThat(Firewalls.admits(fw, "10.1.0.2", ip("10.1.0.11"), TCP, 80)).as("ingress rules of the same group still hold").isTrue();
        assertThat(Firewalls.admits(fw, "10.1.0.2", ip("10.1.0.11"), TCP, 22)).isFalse();
        var any = new SecurityGroup("any", List.of(SecurityGroup.Rule.parse("egress", "any", null, "10.1.0.0/24")));
        var both = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0e", "10.1.0.4")), Set.of("web", "any"));
        var fw2 = Firewalls.forHost(List.of(both), List.of(both), Map.of("web", web, "any", any));
        assertThat(Firewalls.sends(fw2, "10.1.0.4", ip("10.1.0.200"), UDP, 7)).as("any protocol, one group restricting is enough").isTrue();
        assertThat(Firewalls.sends(fw2, "10.1.0.4", ip("10.2.0.1"), UDP, 7)).isFalse();
    }

    @Test
    void aMemberIsGuardedAcceptingItsRulesAndItsGroupAndOthersAreNot() {
        var web = new SecurityGroup("web", List.of(SecurityGroup.Rule.parse("tcp:80", "10.1.0.0/24"),
                SecurityGroup.Rule.parse("udp:53", "secgroup:dns")));
        var dns = new SecurityGroup("dns", List.of());
        var b = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0b", "10.1.0.11")), Set.of("web"));
        var peer = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0c", "10.1.0.12")), Set.of("web"));
        var resolver = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("other", "52:54:00:00:00:0d", "10.2.0.5")), Set.of("dns"));
        var open = new Firewalls.Guest(UUID.randomUUID(), List.of(new Nic("app", "52:54:00:00:00:0a", "10.1.0.2")), Set.of());
        var all = List.of(b, peer, resolver, open);
        var fw = Firewalls.forHost(List.of(b, open), all, Map.of("web", web, "dns", dns));
        assertThat(fw.guards()).extracting(HostFirewall.Guard::address).containsExactly("10.1.0.11");
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.1.0.2"), TCP, 80)).isTrue();
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.1.0.2"), TCP, 8080)).isFalse();
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.9.0.2"), TCP, 80)).isFalse();
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.1.0.12"), TCP, 8080)).as("same group: anything").isTrue();
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.2.0.5"), UDP, 53)).as("from secgroup:dns").isTrue();
        assertThat(Firewalls.admits(fw, "10.1.0.11", ip("10.2.0.5"), ICMP, 0)).isFalse();
        assertThat(Firewalls.admits(fw, "10.1.0.2", ip("10.9.9.9"), TCP, 22)).as("no group: not filtered").isTrue();
        assertThat(Firewalls.forHost(List.of(open), all, Map.of("web", web)).guards()).isEmpty();
    }
}
