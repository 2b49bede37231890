package io.polyvisor.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.GraphicalConsole;
import io.polyvisor.spi.SerialConsole.ConsoleStream;

import java.util.UUID;

/**
 * A VM's VNC display through libvirt's {@code virDomainOpenGraphicsFD} (libvirt-java 0.5.4 does not bind it: declared
 * here through JNA against libvirt.so.0): libvirt makes a socket pair, hands one end to QEMU as a new VNC client and
 * passes the other to this process over the connection's UNIX socket. The display listens nowhere ({@link DomainXml}
 * gives it {@code <listen type='none'/>}), so nobody reaches it but through libvirt's authenticated connection, and
 * no port or path is shared between the host's and this process's namespaces. Passing a descriptor needs a local
 * (UNIX socket) libvirt connection: on a remote host ({@code qemu+ssh://}) libvirt refuses, and the open fails.
 * Reads block a platform thread (the caller's); writes are moved off virtual threads by {@link NativeCalls}.
 */
final class LibvirtGraphicalConsole implements GraphicalConsole {
    interface Virt extends Library {
        Virt LIB = Native.load("virt", Virt.class);

        Pointer virConnectOpen(String uri);

        int virConnectClose(Pointer conn);

        Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

        int virDomainFree(Pointer dom);

        int virDomainOpenGraphicsFD(Pointer dom, int idx, int flags);
    }

    interface LibC extends Library {
        LibC LIB = Native.load("c", LibC.class);

        NativeLong read(int fd, byte[] buf, NativeLong count);

        NativeLong write(int fd, byte[] buf, NativeLong count);

        int shutdown(int fd, int how);

        int close(int fd);
    }

    private static final int SHUT_RDWR = 2;

    private final String uri;

    LibvirtGraphicalConsole(String uri) {
        this.uri = uri;
    }

    @Override
    public ConsoleStream open(UUID id) {
        return NativeCalls.run(() -> {
            Virt v = Virt.LIB;
            Pointer conn = v.virConnectOpen(uri);
            if (conn == null) throw new DriverException("cannot connect to " + uri + " for the display of " + id, true, null);
            try {
                Pointer dom = v.virDomainLookupByUUIDString(conn, id.toString());
                if (dom == null) throw new DriverException("no VM " + id + " on " + uri);
                int fd = v.virDomainOpenGraphicsFD(dom, 0, 0);
                v.virDomainFree(dom);
                if (fd < 0) {
                    throw new DriverException("cannot open the display of " + id + " on " + uri
                            + " (is it running, with display vnc, on a host reached through a local socket?)");
                }
                return new Stream(fd);
            } finally {
                v.virConnectClose(conn); // the descriptor outlives the connection
            }
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
                int off = 0;
                while (off < input.length) {
                    synchronized (this) {
                        if (ended) throw new DriverException("the display connection has ended");
                    }
                    byte[] part = off == 0 ? input : java.util.Arrays.copyOfRange(input, off, input.length);
                    long n = LibC.LIB.write(fd, part, new NativeLong(part.length)).longValue();
                    if (n < 0) throw new DriverException("the display connection refused input");
                    off += (int) n;
                }
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
