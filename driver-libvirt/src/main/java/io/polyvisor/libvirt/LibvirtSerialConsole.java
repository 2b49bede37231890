package io.polyvisor.libvirt;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.polyvisor.libvirt.LibvirtJna.Virt;
import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.SerialConsole;

import java.util.UUID;

/**
 * A VM's serial console through libvirt's {@code virDomainOpenConsole} and a blocking {@code virStream}, which
 * libvirt-java 0.5.4 does not bind ({@link LibvirtJna}). Each open console has its own
 * libvirt connection (opened by URI, so a blocked receive never holds up the driver's shared connection) and
 * takes the console over from any earlier holder ({@code VIR_DOMAIN_CONSOLE_FORCE}). The domain's serial port must
 * be a pty ({@link DomainXml}). Reads block a platform thread (the caller's; the server's pump is one); writes are
 * moved off virtual threads by {@link NativeCalls}.
 */
record LibvirtSerialConsole(String uri) implements SerialConsole {
    private static final int CONSOLE_FORCE = 1;

    @Override
    public ConsoleStream open(UUID id) {
        return NativeCalls.run(() -> {
            Virt v = Virt.LIB;
            var d = LibvirtJna.domain(uri, id, "serial console");
            Pointer stream = v.virStreamNew(d.conn(), 0);
            int opened = stream == null ? -1 : v.virDomainOpenConsole(d.dom(), null, stream, CONSOLE_FORCE);
            v.virDomainFree(d.dom());
            if (opened < 0) {
                if (stream != null) v.virStreamFree(stream);
                v.virConnectClose(d.conn());
                throw new DriverException("cannot open the serial console of " + id + " on " + uri
                        + " (is it running, with a pty serial port?)");
            }
            return new Stream(d.conn(), stream);
        });
    }

    private static final class Stream implements ConsoleStream {
        private final Pointer conn;
        private final Pointer stream;
        private boolean ended;
        private boolean freed;

        Stream(Pointer conn, Pointer stream) {
            this.conn = conn;
            this.stream = stream;
        }

        @Override
        public int read(byte[] into) {
            synchronized (this) {
                if (ended) return -1;
            }
            int n = Virt.LIB.virStreamRecv(stream, into, new NativeLong(into.length));
            if (n > 0) return n;
            synchronized (this) {
                ended = true;
                release();
            }
            return -1;
        }

        @Override
        public void write(byte[] input) {
            NativeCalls.run(() -> {
                synchronized (this) {
                    if (ended) throw new DriverException("the serial console has ended");
                }
                LibvirtJna.sendAll(input, part -> Virt.LIB.virStreamSend(stream, part, new NativeLong(part.length)),
                        "the serial console refused input");
                return null;
            });
        }

        @Override
        public void close() {
            NativeCalls.run(() -> {
                synchronized (this) {
                    if (ended) return null;
                    ended = true;
                }
                Virt.LIB.virStreamAbort(stream); // a blocked read returns, and frees the stream
                return null;
            });
        }

        /** Frees the stream and its connection once, after the reader has left virStreamRecv. */
        private void release() {
            if (freed) return;
            freed = true;
            Virt.LIB.virStreamFree(stream);
            Virt.LIB.virConnectClose(conn);
        }
    }
}
