package io.polyvisor.libvirt;

import io.polyvisor.model.Nic;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Network;
import io.polyvisor.spi.DriverException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of DHCP on a host: the leases file, the gateway MAC, the isolation tables, the kernel command line. */
class DhcpServerTest {
    static final Network LAN = new Network("lan", Cidr.parse("10.5.0.0/24"), null, true, 0x0a0b0c);
    static final Network FIXED = new Network("fixed", Cidr.parse("10.6.0.0/24"), null, false, 7);

    @Test
    void leasesAreMacAddressLinesCheckedAgainstTheNetwork() {
        assertThat(DhcpServer.hostsFile(LAN, List.of(new Nic("lan", "52:54:00:00:00:01", "10.5.0.9"), new Nic("lan", "52:54:00:00:00:02", "10.5.0.10"))))
                .isEqualTo("52:54:00:00:00:01,10.5.0.9\n52:54:00:00:00:02,10.5.0.10\n");
        assertThatThrownBy(() -> DhcpServer.hostsFile(LAN, List.of(new Nic("lan", "52:54:00:00:00:01", "10.6.0.9"))))
                .isInstanceOf(DriverException.class).hasMessage("lease 52:54:00:00:00:01 10.6.0.9 is outside network lan (10.5.0.0/24)");
    }

    @Test
    void theGatewayMacIsLocallyAdministeredAndNamesTheVni() {
        assertThat(DhcpServer.gatewayMac(0x0a0b0c)).isEqualTo("02:70:76:0a:0b:0c");
        assertThat(DhcpServer.gatewayMac(1)).isEqualTo("02:70:76:00:00:01");
    }

    @Test
    void theTablesKeepTheHostsAnswersOffTheVxlanDeviceAndLetGuestsReachOnlyDhcp() {
        String script = NftDhcp.of(7);
        assertThat(script).startsWith("table bridge pvdhcp7 {}\ndelete table bridge pvdhcp7\ntable inet pvdhcp7 {}\ndelete table inet pvdhcp7\n")
                .contains("iifname \"pvvx7\" udp dport 67 drop", "oifname \"pvvx7\" ether saddr 02:70:76:00:00:07 drop",
                        "iifname \"pvbr7\" udp dport 67 accept\n    iifname \"pvbr7\" drop");
    }

    @Test
    void onlyNicsOnNetworksWithoutDhcpGetTheirAddressOnTheKernelCommandLine() {
        var spec = new VmSpec(1, 64 * Sizes.MiB, null,
                List.of(new Nic("lan", "52:54:00:00:00:01", "10.5.0.9"), new Nic("fixed", "52:54:00:00:00:02", "10.6.0.9")), List.of());
        assertThat(DomainXml.nicArguments(spec, Map.of("lan", LAN, "fixed", FIXED))).isEqualTo(" polyvisor.nic=52:54:00:00:00:02,10.6.0.9/24,1450");
    }

    @Test
    void aHotPluggedNicIsOneInterfaceElementAndIsFoundAgainByItsMac() {
        String xml = DomainXml.interfaceXml(new Nic("lan", "52:54:00:00:00:01", "10.5.0.9"), LAN);
        assertThat(xml).startsWith("<interface type=\"bridge\">").contains("<source bridge=\"pvbr658188\"/>",
                "<mac address=\"52:54:00:00:00:01\"/>", "<mtu size=\"1450\"/>");
        String domain = "<domain><devices><interface type='user'><mac address='52:54:00:00:00:02'/></interface>" + xml.strip()
                + "</devices></domain>";
        assertThat(DomainXml.interfaceWithMac(domain, "52:54:00:00:00:01")).hasValueSatisfying(i -> assertThat(i).contains("pvbr658188"));
        assertThat(DomainXml.interfaceWithMac(domain, "52:54:00:00:00:03")).isEmpty();
    }
}
