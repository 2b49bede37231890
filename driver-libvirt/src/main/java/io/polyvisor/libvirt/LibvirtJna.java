package io.polyvisor.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.polyvisor.spi.DriverException;

import java.util.Arrays;
import java.util.UUID;

/**
 * The libvirt and libc calls libvirt-java 0.5.4 does not bind, declared once through JNA (libvirt.so.0, libc) for
 * the consoles ({@link LibvirtSerialConsole}, {@link LibvirtGraphicalConsole}). {@code size_t} and {@code ssize_t}
 * are a C long on the 64-bit Linux this runs on.
 */
final class LibvirtJna {
    private LibvirtJna() {}

    interface Virt extends Library {
        Virt LIB = Native.load("virt", Virt.class);

        Pointer virConnectOpen(String uri);

        int virConnectClose(Pointer conn);

        Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

        int virDomainFree(Pointer dom);

        Pointer virStreamNew(Pointer conn, int flags);

        int virDomainOpenConsole(Pointer dom, String devName, Pointer stream, int flags);

        int virDomainOpenGraphicsFD(Pointer dom, int idx, int flags);

        int virStreamRecv(Pointer stream, byte[] data, NativeLong nbytes);

        int virStreamSend(Pointer stream, byte[] data, NativeLong nbytes);

        int virStreamAbort(Pointer stream);

        int virStreamFree(Pointer stream);
    }

    interface LibC extends Library {
        LibC LIB = Native.load("c", LibC.class);

        NativeLong read(int fd, byte[] buf, NativeLong count);

        NativeLong write(int fd, byte[] buf, NativeLong count);

        int shutdown(int fd, int how);

        int close(int fd);
    }

    /** A domain looked up on a connection of its own; the holder frees {@code dom} and closes {@code conn}. */
    record Domain(Pointer conn, Pointer dom) {}

    /**
     * Opens a connection of its own to {@code uri} (so a blocked call never holds up the driver's shared one) and
     * looks VM {@code id} up on it. On failure nothing is left open: {@code cannot connect to URI for the WHAT of ID}
     * (retryable) or {@code no VM ID on URI}.
     */
    static Domain domain(String uri, UUID id, String what) {
        Virt v = Virt.LIB;
        Pointer conn = v.virConnectOpen(uri);
        if (conn == null) throw new DriverException("cannot connect to " + uri + " for the " + what + " of " + id, true, null);
        Pointer dom = v.virDomainLookupByUUIDString(conn, id.toString());
        if (dom == null) {
            v.virConnectClose(conn);
            throw new DriverException("no VM " + id + " on " + uri);
        }
        return new Domain(conn, dom);
    }

    /** Takes a part of the input: how many of its first bytes it took, or a negative number when it failed. */
    interface Sender {
        long send(byte[] part);
    }

    /** Hands all of {@code input} to {@code sender}, the rest again after a short send; a failure throws {@code refused}. */
    static void sendAll(byte[] input, Sender sender, String refused) {
        int off = 0;
        while (off < input.length) {
            byte[] part = off == 0 ? input : Arrays.copyOfRange(input, off, input.length);
            long n = sender.send(part);
            if (n < 0) throw new DriverException(refused);
            off += (int) n;
        }
    }
}
