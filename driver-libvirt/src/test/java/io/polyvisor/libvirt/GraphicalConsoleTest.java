package io.polyvisor.libvirt;

import io.polyvisor.model.Display;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.SerialConsole.ConsoleStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The VNC display of a real QEMU guest on a test-fleet host, reached only through libvirt (virDomainOpenGraphicsFD):
 * each open is its own VNC client that completes the RFB 3.8 handshake and is told the screen's size and the VM's
 * name; two clients are served at once; a VM created without a display has none to open.
 */
class GraphicalConsoleTest {
    private HostConnection host;
    private UUID id;

    @AfterEach
    void cleanUp() {
        if (host == null) return;
        if (id != null && host.compute().lookup(id).isPresent()) {
            host.compute().destroy(id);
            host.compute().undefine(id);
        }
        host.close();
    }

    @Test
    void eachOpenIsAVncClientOfTheGuestsScreen() {
        host = new LibvirtDriver().connect(TestFleet.up(1).get(0));
        String name = "vnc-" + UUID.randomUUID().toString().substring(0, 8);
        id = UUID.randomUUID();
        host.compute().define(id, name, TinyGuest.spec(List.of()).withDisplay(Display.VNC));
        host.compute().start(id);
        try (var first = host.graphicalConsole().open(id); var second = host.graphicalConsole().open(id)) {
            for (var client : List.of(first, second)) {
                var init = handshake(client);
                assertThat(init.width()).isPositive();
                assertThat(init.height()).isPositive();
                assertThat(init.name()).as("QEMU names the desktop after the domain").isEqualTo("QEMU (" + name + ")");
            }
        }
        String plain = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        UUID other = UUID.randomUUID();
        host.compute().define(other, plain, TinyGuest.spec(List.of()));
        try {
            host.compute().start(other);
            assertThatThrownBy(() -> host.graphicalConsole().open(other)).isInstanceOf(DriverException.class)
                    .hasMessageContaining("cannot open the display of " + other);
        } finally {
            host.compute().destroy(other);
            host.compute().undefine(other);
        }
    }

    record ServerInit(int width, int height, String name) {}

    /** RFB 3.8 (RFC 6143 section 7.1-7.3) with security type None, shared; returns the ServerInit. */
    private static ServerInit handshake(ConsoleStream c) {
        assertThat(new String(read(c, 12), StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
        c.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        int count = read(c, 1)[0] & 0xff;
        assertThat(count).as("security types offered").isPositive();
        byte[] types = read(c, count);
        assertThat(types).as("security type None, as the display listens nowhere but through libvirt").contains((byte) 1);
        c.write(new byte[] {1});
        assertThat(ByteBuffer.wrap(read(c, 4)).getInt()).as("SecurityResult OK").isZero();
        c.write(new byte[] {1}); // ClientInit: shared
        var head = ByteBuffer.wrap(read(c, 24));
        int width = head.getShort(0) & 0xffff, height = head.getShort(2) & 0xffff, length = head.getInt(20);
        return new ServerInit(width, height, new String(read(c, length), StandardCharsets.UTF_8));
    }

    private static byte[] read(ConsoleStream c, int n) {
        var out = new ByteArrayOutputStream();
        while (out.size() < n) {
            byte[] part = new byte[n - out.size()];
            int got = c.read(part);
            if (got < 0) throw new AssertionError("the display closed after " + out.size() + " of " + n + " bytes");
            out.write(part, 0, got);
        }
        return out.toByteArray();
    }
}
