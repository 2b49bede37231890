package io.polyvisor.libvirt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserNetTest {
    /** As QEMU 7.2 prints it, with its CR LF line ends. */
    private static final String TABLE = "Hub -1 (hostnet0):\r\n"
            + "  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n"
            + "  TCP[HOST_FORWARD]  13       127.0.0.1 18181       10.0.2.15    80     0     0\r\n"
            + "  TCP[ESTABLISHED]   15       10.0.2.15 40000       10.0.2.2   8080     0     0\r\n";

    @Test
    void findsAnExistingForwardByBothPorts() {
        assertThat(LibvirtGuestAccess.UserNet.forwards(TABLE, 18181, 80)).isTrue();
        assertThat(LibvirtGuestAccess.UserNet.forwards(TABLE, 18181, 22)).isFalse();
        assertThat(LibvirtGuestAccess.UserNet.forwards(TABLE, 18182, 80)).isFalse();
        assertThat(LibvirtGuestAccess.UserNet.forwards(TABLE, 40000, 8080)).as("not a host forward").isFalse();
        assertThat(LibvirtGuestAccess.UserNet.forwards("", 18181, 80)).isFalse();
    }
}
