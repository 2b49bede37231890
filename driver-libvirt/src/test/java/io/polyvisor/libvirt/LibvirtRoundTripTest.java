package io.polyvisor.libvirt;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.VmSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** libvirt itself (test:///default) stores a hostile kernel command line exactly as given: escaped, not interpreted. */
class LibvirtRoundTripTest {
    @Test
    void hostileCmdlineSurvivesLibvirtsParserUnchanged() throws Exception {
        var cmdline = "console=ttyS0 x='1' y=\"2\" </cmdline><devices><disk type='file'/></devices> ]]> & done";
        var spec = new VmSpec(1, 64 * Sizes.MiB, new Boot.Kernel("/var/tmp/k/vmlinuz", null, cmdline), null, null);
        try (var host = (LibvirtConnection) new LibvirtDriver().connect(URI.create("test:///default"))) {
            var id = UUID.randomUUID();
            host.compute().define(id, "hostile", spec);
            var xml = host.call("dump", () -> host.live().domainLookupByUUID(id).getXMLDesc(0));
            var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            var xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
            assertThat(xp.evaluate("/domain/os/cmdline", doc)).isEqualTo(cmdline);
            assertThat(xp.evaluate("count(//disk)", doc)).isEqualTo("0");
            host.compute().undefine(id);
        }
    }
}
