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
        assertThat(r.source().toString()).isEqualTo("10.1.0.0/24");
        assertThat(SecurityGroup.Rule.parse("icmp", "secgroup:web").source()).isEqualTo(new SecurityGroup.Source.Group("web"));
        assertThat(SecurityGroup.Rule.parse("udp:53", "0.0.0.0/0").allow()).isEqualTo("udp:53");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("http", "10.0.0.0/8")).isInstanceOf(InvalidInput.class)
                .hasMessage("allow must be tcp:PORT[-PORT], udp:PORT[-PORT] or icmp, got 'http'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:0", "10.0.0.0/8")).hasMessage("port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:90-80", "10.0.0.0/8")).hasMessage("port range 90-80 is reversed");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "10.0.0.1/8")).hasMessage("from 10.0.0.1/8 has host bits set");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "anywhere"))
                .hasMessage("from must be a CIDR such as 10.0.0.0/24 or secgroup:NAME, got 'anywhere'");
        assertThatThrownBy(() -> SecurityGroup.Rule.parse("tcp:80", "secgroup:Bad_Name")).isInstanceOf(InvalidInput.class);
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
