package io.polyvisor.libvirt;

import io.polyvisor.network.HostFirewall;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.SecurityGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NftRulesetTest {
    @Test
    void guardsBecomeOneTableReplacedAtomicallyAndNoGuardsRemoveIt() {
        var allow = new HostFirewall.Allow(SecurityGroup.Protocol.TCP, 80, 81, new SecurityGroup.Source.Block(Ipv4.parse("a", "10.1.0.0"), 24));
        var icmp = new HostFirewall.Allow(SecurityGroup.Protocol.ICMP, 0, 0, new SecurityGroup.Source.Block(Ipv4.parse("a", "10.1.0.12"), 32));
        String s = NftRuleset.of(new HostFirewall(List.of(new HostFirewall.Guard("10.1.0.11", List.of(allow, icmp)))));
        assertThat(s).isEqualTo("""
                table inet polyvisor {}
                delete table inet polyvisor
                table inet polyvisor {
                  chain forward {
                    type filter hook forward priority 0; policy accept;
                    ct state established,related accept
                    ip daddr 10.1.0.11 ip saddr 10.1.0.0/24 tcp dport 80-81 accept
                    ip daddr 10.1.0.11 ip saddr 10.1.0.12/32 ip protocol icmp accept
                    ip daddr 10.1.0.11 drop
                  }
                }
                """);
        assertThat(NftRuleset.of(HostFirewall.NONE)).isEqualTo("table inet polyvisor {}\ndelete table inet polyvisor\n");
    }
}
