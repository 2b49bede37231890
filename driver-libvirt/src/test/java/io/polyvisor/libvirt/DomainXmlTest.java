package io.polyvisor.libvirt;

import io.polyvisor.model.Boot;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Domain XML from a spec: the shape QEMU needs, and hostile input escaped or refused. */
class DomainXmlTest {
    private static final UUID ID = UUID.fromString("6f1c0e6a-4a57-4b8e-9a41-0c3c7d2e5b11");
    private static final DomainSettings TCG = new DomainSettings("qemu", true, "/var/log/libvirt/qemu", HostUri.DEFAULT_IMAGE_ROOTS, false);

    private static VmSpec kernelSpec(String cmdline) {
        return new VmSpec(2, 128 * Sizes.MiB, new Boot.Kernel("/var/tmp/kit/vmlinuz", "/var/tmp/kit/initramfs.gz", cmdline), null, List.of(80));
    }

    @Test
    void volumesArePoolDisksInGuestOrderAndBootTheVmWithoutAKernel() throws Exception {
        var spec = new VmSpec(1, 128 * io.polyvisor.model.Sizes.MiB, null, null, null,
                java.util.List.of(io.polyvisor.model.Disk.of("web1-root"), io.polyvisor.model.Disk.of("data")));
        var doc = parse(DomainXml.build(ID, "web1", spec, TCG));
        assertThat(n(doc, "count(/domain/devices/disk)")).isEqualTo(2);
        assertThat(x(doc, "/domain/devices/disk[1]/@type")).isEqualTo("volume");
        assertThat(x(doc, "/domain/devices/disk[1]/source/@pool")).isEqualTo("polyvisor");
        assertThat(x(doc, "/domain/devices/disk[1]/source/@volume")).isEqualTo("web1-root.qcow2");
        assertThat(x(doc, "/domain/devices/disk[1]/driver/@type")).as("never probed").isEqualTo("qcow2");
        assertThat(x(doc, "/domain/devices/disk[1]/target/@dev")).isEqualTo("vda");
        assertThat(x(doc, "/domain/devices/disk[2]/source/@volume")).isEqualTo("data.qcow2");
        assertThat(x(doc, "/domain/devices/disk[2]/target/@dev")).isEqualTo("vdb");
        assertThat(x(doc, "/domain/devices/disk[2]/target/@bus")).isEqualTo("virtio");
        assertThat(x(doc, "/domain/os/boot/@dev")).isEqualTo("hd");
        assertThatThrownBy(() -> io.polyvisor.model.Disk.of("../../etc/shadow")).isInstanceOf(io.polyvisor.model.InvalidInput.class)
                .hasMessage("volume name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit, got '../../etc/shadow'");
    }

    @Test
    void aVncDisplayIsAVgaAdapterListeningNowhereAndOnlyWhenAsked() throws Exception {
        var plain = parse(DomainXml.build(ID, "web1", kernelSpec("console=ttyS0"), TCG));
        assertThat(n(plain, "count(/domain/devices/graphics)")).isZero();
        assertThat(n(plain, "count(/domain/devices/video)")).isZero();
        var doc = parse(DomainXml.build(ID, "web1", kernelSpec("console=ttyS0").withDisplay(io.polyvisor.model.Display.VNC), TCG));
        assertThat(n(doc, "count(/domain/devices/graphics)")).isEqualTo(1);
        assertThat(x(doc, "/domain/devices/graphics/@type")).isEqualTo("vnc");
        assertThat(x(doc, "/domain/devices/graphics/listen/@type")).as("no port, no socket: clients come through libvirt")
                .isEqualTo("none");
        assertThat(n(doc, "count(/domain/devices/graphics/@port | /domain/devices/graphics/@autoport)")).isZero();
        assertThat(x(doc, "/domain/devices/video/model/@type")).isEqualTo("vga");
    }

    @Test
    void kernelBootDomainHasVirtioDevicesSerialLogAgentChannelAndIdentity() throws Exception {
        var doc = parse(DomainXml.build(ID, "web1", kernelSpec("console=ttyS0 panic=-1"), TCG));
        assertThat(x(doc, "/domain/@type")).isEqualTo("qemu");
        assertThat(x(doc, "/domain/name")).isEqualTo("web1");
        assertThat(x(doc, "/domain/uuid")).isEqualTo(ID.toString());
        assertThat(x(doc, "/domain/memory")).isEqualTo("131072");
        assertThat(x(doc, "/domain/memory/@unit")).isEqualTo("KiB");
        assertThat(x(doc, "/domain/vcpu")).isEqualTo("2");
        assertThat(x(doc, "/domain/os/kernel")).isEqualTo("/var/tmp/kit/vmlinuz");
        assertThat(x(doc, "/domain/os/initrd")).isEqualTo("/var/tmp/kit/initramfs.gz");
        assertThat(x(doc, "/domain/os/cmdline")).isEqualTo("console=ttyS0 panic=-1");
        assertThat(x(doc, "/domain/cpu/model")).isEqualTo("qemu64");
        assertThat(x(doc, "/domain/sysinfo/system/entry[@name='product']")).isEqualTo("web1");
        assertThat(x(doc, "/domain/on_reboot")).isEqualTo("restart");
        assertThat(x(doc, "/domain/devices/interface/@type")).isEqualTo("user");
        assertThat(x(doc, "/domain/devices/interface/model/@type")).isEqualTo("virtio");
        assertThat(x(doc, "/domain/devices/serial/@type")).isEqualTo("pty");
        assertThat(x(doc, "/domain/devices/serial/log/@file")).isEqualTo("/var/log/libvirt/qemu/" + ID + ".serial.log");
        assertThat(x(doc, "/domain/devices/channel/target/@name")).isEqualTo("org.qemu.guest_agent.0");
        assertThat(x(doc, "/domain/devices/memballoon/@model")).isEqualTo("virtio");
        assertThat(n(doc, "count(/domain/devices/disk)")).isEqualTo(0);
    }

    @Test
    void guestDataBecomesFirmwareConfigurationEntriesWithValuesEscaped() throws Exception {
        var data = new io.polyvisor.spi.GuestData(java.util.Map.of("coord-url", "http://10.0.2.2:8080", "coord-token", "<t>&'\"x"));
        var doc = parse(DomainXml.build(ID, "web1", kernelSpec(""), data, TCG));
        assertThat(x(doc, "/domain/sysinfo[@type='fwcfg']/entry[@name='opt/io.polyvisor/coord-url']")).isEqualTo("http://10.0.2.2:8080");
        assertThat(x(doc, "/domain/sysinfo[@type='fwcfg']/entry[@name='opt/io.polyvisor/coord-token']")).isEqualTo("<t>&'\"x");
        assertThat(x(doc, "/domain/sysinfo[@type='smbios']/system/entry[@name='product']")).isEqualTo("web1");
        assertThat(n(doc, "count(/domain/sysinfo[@type='fwcfg'])")).isEqualTo(1);
        assertThat(n(parse(DomainXml.build(ID, "web1", kernelSpec(""), TCG)), "count(/domain/sysinfo[@type='fwcfg'])")).isEqualTo(0);
        assertThatThrownBy(() -> new io.polyvisor.spi.GuestData(java.util.Map.of("../x", "v"))).isInstanceOf(InvalidInput.class)
                .hasMessage("guest data name must match [a-z][a-z0-9-]{0,31}");
        assertThatThrownBy(() -> new io.polyvisor.spi.GuestData(java.util.Map.of("k", "line\nbreak"))).isInstanceOf(InvalidInput.class)
                .hasMessage("guest data k must be printable ASCII of at most 1024 characters");
        assertThat(data.toString()).doesNotContain("<t>").isEqualTo("GuestData[coord-token, coord-url]");
    }

    @Test
    void kvmUsesTheHostCpuModel() throws Exception {
        var kvm = new DomainSettings("kvm", true, "/var/log/libvirt/qemu", HostUri.DEFAULT_IMAGE_ROOTS, false);
        var doc = parse(DomainXml.build(ID, "web1", kernelSpec(""), kvm));
        assertThat(x(doc, "/domain/@type")).isEqualTo("kvm");
        assertThat(x(doc, "/domain/cpu/@mode")).isEqualTo("host-model");
        assertThat(n(doc, "count(/domain/os/cmdline)")).isEqualTo(0);
    }

    @Test
    void testDriverDomainLeavesOutQemuOnlyDevices() throws Exception {
        var test = new DomainSettings("test", false, "/var/log/libvirt/qemu", HostUri.DEFAULT_IMAGE_ROOTS, false);
        var doc = parse(DomainXml.build(ID, "web1", VmSpec.of(1, 64 * Sizes.MiB), test));
        assertThat(x(doc, "/domain/@type")).isEqualTo("test");
        assertThat(n(doc, "count(/domain/devices/serial) + count(/domain/devices/channel) + count(/domain/sysinfo)")).isEqualTo(0);
    }

    @Test
    void diskImageFormatComesFromTheFileNotFromQemuProbing(@TempDir Path dir) throws Exception {
        var qcow = dir.resolve("disk.img");
        Files.write(qcow, new byte[]{'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        var raw = dir.resolve("raw.qcow2");
        Files.write(raw, new byte[512]);
        var asQcow = parse(DomainXml.build(ID, "db1", new VmSpec(1, 256 * Sizes.MiB, new Boot.Disk(qcow.toString()), null, null), TCG));
        assertThat(x(asQcow, "/domain/devices/disk/driver/@type")).isEqualTo("qcow2");
        assertThat(x(asQcow, "/domain/devices/disk/source/@file")).isEqualTo(qcow.toString());
        assertThat(x(asQcow, "/domain/devices/disk/target/@bus")).isEqualTo("virtio");
        var asRaw = parse(DomainXml.build(ID, "db1", new VmSpec(1, 256 * Sizes.MiB, new Boot.Disk(raw.toString()), null, null), TCG));
        assertThat(x(asRaw, "/domain/devices/disk/driver/@type")).as("a raw file named .qcow2 stays raw").isEqualTo("raw");
    }

    @Test
    void privateNicIsATapOnItsNetworksBridgeWithItsMacMtuAndAddressOnTheCommandLine() throws Exception {
        var app = new io.polyvisor.network.Network("app", io.polyvisor.network.Cidr.parse("10.1.0.0/24"), null, false, 42);
        var nics = List.of(new Nic("app", "52:54:00:12:34:56", "10.1.0.7"), Nic.user());
        var spec = new VmSpec(1, 64 * Sizes.MiB, kernelSpec("console=ttyS0").boot(), nics, null);
        var doc = parse(DomainXml.build(ID, "web1", spec, io.polyvisor.spi.GuestData.none(), TCG, java.util.Map.of("app", app)));
        assertThat(x(doc, "/domain/devices/interface[1]/@type")).isEqualTo("bridge");
        assertThat(x(doc, "/domain/devices/interface[1]/source/@bridge")).isEqualTo("pvbr42");
        assertThat(x(doc, "/domain/devices/interface[1]/mac/@address")).isEqualTo("52:54:00:12:34:56");
        assertThat(x(doc, "/domain/devices/interface[1]/mtu/@size")).isEqualTo("1450");
        assertThat(x(doc, "/domain/devices/interface[2]/@type")).isEqualTo("user");
        assertThat(x(doc, "/domain/os/cmdline")).isEqualTo("console=ttyS0 polyvisor.nic=52:54:00:12:34:56,10.1.0.7/24,1450");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.polyvisor.spi.DriverException.class,
                () -> DomainXml.build(ID, "web1", spec, TCG));
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).isEqualTo("network app is not set up on this host: ensure it first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"quote' x='1", "dq\" onload=\"x", "</cmdline><devices><disk/></devices><cmdline>", "end ]]> cdata",
            "amp & <lt> &amp; &#x41;"})
    void hostileCmdlineIsEscapedAndComesBackVerbatim(String cmdline) throws Exception {
        var xml = DomainXml.build(ID, "web1", kernelSpec(cmdline), TCG);
        var doc = parse(xml);
        assertThat(x(doc, "/domain/os/cmdline")).isEqualTo(cmdline);
        assertThat(n(doc, "count(//disk)")).as("no element injected").isEqualTo(0);
        assertThat(n(doc, "count(/domain/devices)")).isEqualTo(1);
        assertThat(n(doc, "count(/domain/os/*)")).isEqualTo(5); // type, kernel, initrd, cmdline, smbios
    }

    @ParameterizedTest
    @ValueSource(strings = {"web'1", "web\"1", "<web1>", "web]]>1", "a/../b", "Web1", "web 1", ""})
    void hostileNamesAreRefused(String name) {
        assertThatThrownBy(() -> DomainXml.build(ID, name, kernelSpec(""), TCG))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("VM name must be 1-63 characters of a-z, 0-9 and '-'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/tmp/../../etc/shadow", "/var/tmp/./vmlinuz", "var/tmp/vmlinuz", "/var/tmp/x\n<y>"})
    void pathTraversalIsRefusedBeforeAnyXml(String kernel) {
        assertThatThrownBy(() -> new Boot.Kernel(kernel, null, "")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("kernel path");
    }

    @Test
    void filesOutsideTheImageRootsAreRefused() {
        var spec = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel("/etc/shadow", null, ""), null, null);
        assertThatThrownBy(() -> DomainXml.build(ID, "web1", spec, TCG)).isInstanceOf(InvalidInput.class)
                .hasMessage("kernel path must be under one of /var/lib/libvirt/images, /var/lib/polyvisor, /srv, /var/tmp, /tmp,"
                        + " got '/etc/shadow'");
        var sneaky = new VmSpec(1, 64 * Sizes.MiB, new Boot.Disk("/var/tmpfoo/disk.img"), null, null);
        assertThatThrownBy(() -> DomainXml.build(ID, "web1", sneaky, TCG)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("image path must be under one of");
    }

    @Test
    void onALocalHostBootFilesAreCheckedByTheirRealPath() throws Exception {
        var local = new DomainSettings("qemu", true, "/var/log/libvirt/qemu", HostUri.DEFAULT_IMAGE_ROOTS, true);
        Path dir = java.nio.file.Files.createTempDirectory(Path.of("/var/tmp"), "realpath");
        try {
            Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("vmlinuz"), Path.of("/etc/shadow"));
            var viaLink = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel(link.toString(), null, ""), null, null);
            assertThatThrownBy(() -> DomainXml.build(ID, "web1", viaLink, local)).isInstanceOf(InvalidInput.class)
                    .hasMessage("kernel path must be under one of /var/lib/libvirt/images, /var/lib/polyvisor, /srv, /var/tmp, /tmp,"
                            + " got '" + link + "' (it resolves to '/etc/shadow')");
            var missing = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel(dir.resolve("nothing").toString(), null, ""), null, null);
            assertThatThrownBy(() -> DomainXml.build(ID, "web1", missing, local)).isInstanceOf(InvalidInput.class)
                    .hasMessage("kernel file '" + dir.resolve("nothing") + "' does not exist on this host");
            var folder = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel(dir.toString(), null, ""), null, null);
            assertThatThrownBy(() -> DomainXml.build(ID, "web1", folder, local)).isInstanceOf(InvalidInput.class)
                    .hasMessage("kernel '" + dir + "' is not a regular file");
            Path real = java.nio.file.Files.writeString(dir.resolve("real-kernel"), "k");
            Path goodLink = java.nio.file.Files.createSymbolicLink(dir.resolve("current"), real);
            var ok = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel(goodLink.toString(), null, ""), null, null);
            var doc = parse(DomainXml.build(ID, "web1", ok, local));
            assertThat(doc.getElementsByTagName("kernel").item(0).getTextContent())
                    .as("the domain gets the real path, so the link cannot be swapped after the check").isEqualTo(real.toRealPath().toString());
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : files.toList()) java.nio.file.Files.delete(f);
            }
            java.nio.file.Files.delete(dir);
        }
    }

    private static Document parse(String xml) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String x(Document doc, String expr) throws Exception {
        return (String) XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.STRING);
    }

    private static int n(Document doc, String expr) throws Exception {
        return ((Double) XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.NUMBER)).intValue();
    }
}
