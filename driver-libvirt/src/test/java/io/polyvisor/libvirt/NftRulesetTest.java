package io.polyvisor.libvirt;

import io.polyvisor.network.HostFirewall;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.SecurityGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NftRulesetTest {
    static SecurityGroup.Remote.Block block(String base, int prefix) {
        return new SecurityGroup.Remote.Block(Ipv4.parse("a", base), prefix);
    }

    @Test
    void guardsBecomeOneTableReplacedAtomicallyAndNoGuardsRemoveIt() {
        var allow = new HostFirewall.Allow(SecurityGroup.Protocol.TCP, 80, 81, block("10.1.0.0", 24));
        var icmp = new HostFirewall.Allow(SecurityGroup.Protocol.ICMP, 0, 0, block("10.1.0.12", 32));
        var out = new HostFirewall.Allow(SecurityGroup.Protocol.UDP, 53, 53, block("10.1.0.0", 24));
        var member = new HostFirewall.Allow(SecurityGroup.Protocol.ANY, 0, 0, block("10.1.0.13", 32));
        String s = NftRuleset.of(new HostFirewall(List.of(new HostFirewall.Guard("10.1.0.11", List.of(allow, icmp)),
                new HostFirewall.Guard("10.1.0.13", "52:54:00:00:00:0d", List.of(member), true, List.of(out, member)))));
        assertThat(s).isEqualTo("""
                table inet polyvisor {}
                delete table inet polyvisor
                table inet polyvisor {
                  chain egress {
                    type filter hook forward priority 0; policy accept;
                    ether saddr 52:54:00:00:00:0d meta nfproto ipv6 drop
                    ether daddr 52:54:00:00:00:0d meta nfproto ipv6 drop
                    ether saddr 52:54:00:00:00:0d ip saddr != 10.1.0.13 drop
                    ct state established,related accept
                    ip saddr 10.1.0.13 ip daddr 10.1.0.0/24 udp dport 53 accept
                    ip saddr 10.1.0.13 ip daddr 10.1.0.13/32 accept
                    ip saddr 10.1.0.13 drop
                  }
                  chain ingress {
                    type filter hook forward priority 10; policy accept;
                    ct state established,related accept
                    ip daddr 10.1.0.11 ip saddr 10.1.0.0/24 tcp dport 80-81 accept
                    ip daddr 10.1.0.11 ip saddr 10.1.0.12/32 ip protocol icmp accept
                    ip daddr 10.1.0.11 drop
                    ip daddr 10.1.0.13 ip saddr 10.1.0.13/32 accept
                    ip daddr 10.1.0.13 drop
                  }
                }
                """);
        assertThat(NftRuleset.of(HostFirewall.NONE)).isEqualTo("table inet polyvisor {}\ndelete table inet polyvisor\n");
    }
}
