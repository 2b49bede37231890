package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.GuestAccess;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Guest ports on the host's loopback through QEMU's user-mode network ({@code hostfwd_add} on the
 * first NIC, netdev {@code hostnet0}). libvirt's own {@code <portForward>} needs passt, which Debian's
 * libvirt leaves out. The forward lives in the QEMU process: gone after a restart or a migration, so
 * the control plane applies it again. Only reachable on the hypervisor host's own loopback.
 */
final class LibvirtGuestAccess implements GuestAccess {
    private static final int HMP = 1;
    private final LibvirtConnection host;

    LibvirtGuestAccess(LibvirtConnection host) {
        this.host = host;
    }

    @Override
    public void forward(UUID id, int hostPort, int guestPort) {
        if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
            throw new IllegalArgumentException("ports must be between 1 and 65535, got " + hostPort + " -> " + guestPort);
        }
        host.call("forward port " + hostPort, () -> {
            var d = ((LibvirtCompute) host.compute()).require(id);
            if (d.isActive() == 0) throw new DriverException("cannot forward a port to VM " + id + ": it is not running");
            var existing = d.qemuMonitorCommand("info usernet", HMP);
            if (UserNet.forwards(existing, hostPort, guestPort)) return null;
            var out = d.qemuMonitorCommand("hostfwd_add hostnet0 tcp:127.0.0.1:" + hostPort + "-:" + guestPort, HMP);
            if (!out.isBlank()) {
                throw new DriverException("QEMU refused to forward 127.0.0.1:" + hostPort + " to port " + guestPort
                        + " of VM " + id + ": " + out.strip());
            }
            return null;
        });
    }

    /** Reads QEMU's {@code info usernet} table. */
    static final class UserNet {
        private static final Pattern ROW = Pattern.compile("TCP\\[HOST_FORWARD\\]\\s+\\d+\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)");

        private UserNet() {}

        /** Whether the table already forwards {@code 127.0.0.1:hostPort} to guest port {@code guestPort}. */
        static boolean forwards(String table, int hostPort, int guestPort) {
            var m = ROW.matcher(table);
            while (m.find()) {
                if (Integer.parseInt(m.group(2)) == hostPort && Integer.parseInt(m.group(4)) == guestPort) return true;
            }
            return false;
        }
    }
}
