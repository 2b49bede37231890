package io.polyvisor.libvirt;

import com.sun.jna.NativeLong;
import io.polyvisor.libvirt.LibvirtJna.LibC;
import io.polyvisor.libvirt.LibvirtJna.Virt;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.GraphicalConsole;
import io.polyvisor.spi.SerialConsole.ConsoleStream;

import java.util.UUID;

/**
 * A VM's VNC display through libvirt's {@code virDomainOpenGraphicsFD} (libvirt-java 0.5.4 does not bind it:
 * {@link LibvirtJna}): libvirt makes a socket pair, hands one end to QEMU as a new VNC client and
 * passes the other to this process over the connection's UNIX socket. The display listens nowhere ({@link DomainXml}
 * gives it {@code <listen type='none'/>}), so nobody reaches it but through libvirt's authenticated connection, and
 * no port or path is shared between the host's and this process's namespaces. Passing a descriptor needs a local
 * (UNIX socket) libvirt connection: on a remote host ({@code qemu+ssh://}) libvirt refuses, and the open fails.
 * Reads block a platform thread (the caller's); writes are moved off virtual threads by {@link NativeCalls}.
 */
record LibvirtGraphicalConsole(String uri) implements GraphicalConsole {
    private static final int SHUT_RDWR = 2;

    @Override
    public ConsoleStream open(UUID id) {
        return NativeCalls.run(() -> {
            Virt v = Virt.LIB;
            var d = LibvirtJna.domain(uri, id, "display");
            int fd;
            try {
                fd = v.virDomainOpenGraphicsFD(d.dom(), 0, 0);
            } finally {
                v.virDomainFree(d.dom());
                v.virConnectClose(d.conn()); // the descriptor outlives the connection
            }
            if (fd < 0) {
                throw new DriverException("cannot open the display of " + id + " on " + uri
                        + " (is it running, with display vnc, on a host reached through a local socket?)");
            }
            return new Stream(fd);
        });
    }

    /** One VNC client socket: reads on the caller's thread; the descriptor is closed once, after the reader left. */
    private static final class Stream implements ConsoleStream {
        private final int fd;
        private boolean ended;
        private boolean reading;
        private boolean closed;

        Stream(int fd) {
            this.fd = fd;
        }

        @Override
        public int read(byte[] into) {
            synchronized (this) {
                if (ended) return -1;
                reading = true;
            }
            long n = LibC.LIB.read(fd, into, new NativeLong(into.length)).longValue();
            synchronized (this) {
                reading = false;
                if (n > 0 && !ended) return (int) n;
                ended = true;
                release();
            }
            return -1;
        }

        @Override
        public void write(byte[] input) {
            NativeCalls.run(() -> {
                LibvirtJna.sendAll(input, part -> {
                    synchronized (this) {
                        if (ended) throw new DriverException("the display connection has ended");
                    }
                    return LibC.LIB.write(fd, part, new NativeLong(part.length)).longValue();
                }, "the display connection refused input");
                return null;
            });
        }

        @Override
        public void close() {
            synchronized (this) {
                if (ended) return;
                ended = true;
                LibC.LIB.shutdown(fd, SHUT_RDWR); // a blocked read returns 0, and its thread releases
                if (!reading) release();
            }
        }

        private void release() {
            if (closed) return;
            closed = true;
            LibC.LIB.close(fd);
        }
    }
}
