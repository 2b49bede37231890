package io.polyvisor.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The browser-to-VM half of an RFB (VNC) connection, cut into messages for a client that may only watch: what reaches
 * the display is what lets a client see it, never what types, points, pastes, resizes or powers it. The server
 * enforces this, whatever the browser's noVNC was told. Framing follows RFC 6143 and the extensions noVNC sends to
 * QEMU (the RFB community specification; lengths checked against QEMU's {@code ui/vnc.c protocol_client_msg}):
 * <pre>
 *   handshake  ProtocolVersion (12, "RFB 003.007\n" or "RFB 003.008\n"), security type (1: None, or 2: VNC
 *              authentication followed by its 16-byte response), ClientInit (1; always sent as shared)
 *   forwarded  SetPixelFormat 0 (20), SetEncodings 2 (4 + 4n, without ExtendedMouseButtons),
 *              FramebufferUpdateRequest 3 (10), EnableContinuousUpdates 150 (10), Fence 248 (9 + n),
 *              QEMU audio 255/1 (4, or 10 to set the format)
 *   dropped    KeyEvent 4 (8), PointerEvent 5 (6), ClientCutText 6 (8 + |length|, at most 1 MiB), xvp 250 (4),
 *              SetDesktopSize 251 (8 + 16n), QEMU extended key event 255/0 (12)
 * </pre>
 * Anything else cannot be framed, so nothing after it is forwarded: the filter {@link Refuse}s, and keeps refusing.
 * ClientInit is rewritten to shared so a viewer cannot ask the VNC server to disconnect everyone else. ExtendedMouseButtons
 * (-316) is taken out of SetEncodings: a server that confirms it lets PointerEvent grow to 7 bytes, a length only the
 * server-to-client stream would tell; without it every PointerEvent stays 6. Not thread-safe: one per connection, fed
 * in order. Holds at most one incomplete message (about 1 MiB at worst).
 */
final class RfbReadOnlyFilter {
    /** The longest ClientCutText QEMU takes (it drops a client that sends more). */
    static final int MAX_CUT_TEXT = 1 << 20;
    static final int EXTENDED_MOUSE_BUTTONS = -316;

    /** What to do with one chunk from the browser. */
    sealed interface Outcome {
        /** Write these bytes (possibly none) to the display. */
        record Forward(byte[] bytes) implements Outcome {}

        /** Close the connection (1008) with this reason; nothing more is forwarded. */
        record Refuse(String reason) implements Outcome {}
    }

    private enum Phase { VERSION, SECURITY, VNC_AUTH, CLIENT_INIT, MESSAGES }

    private Phase phase = Phase.VERSION;
    private byte[] pending = new byte[0];
    private Outcome.Refuse refused;

    /** Takes the next bytes the browser sent (any split of the stream) and says what of them, and before them, to forward. */
    Outcome accept(byte[] chunk) {
        if (refused != null) return refused;
        byte[] in = pending.length == 0 ? chunk : concat(pending, chunk);
        var out = new ByteArrayOutputStream();
        int at = 0;
        while (at < in.length) {
            int need = needed(in, at, in.length - at);
            if (refused != null) return refused;
            if (need > in.length - at) break; // the rest of this message is still on its way
            forward(in, at, need, out);
            if (refused != null) return refused;
            at += need;
        }
        pending = Arrays.copyOfRange(in, at, in.length);
        return new Outcome.Forward(out.toByteArray());
    }

    /**
     * The length of the unit (handshake step or message) at {@code at}, from its first {@code n} bytes; a length past
     * {@code n} while a header is incomplete (asked again when more has come); sets {@link #refused} when it cannot be framed.
     */
    private int needed(byte[] b, int at, int n) {
        return switch (phase) {
            case VERSION -> 12;
            case SECURITY, CLIENT_INIT -> 1;
            case VNC_AUTH -> 16;
            case MESSAGES -> messageLength(b, at, n);
        };
    }

    private int messageLength(byte[] b, int at, int n) {
        int type = u8(b, at);
        return switch (type) {
            case 0 -> 20;
            case 2 -> n < 4 ? 4 : 4 + 4 * u16(b, at + 2);
            case 3, 150 -> 10;
            case 4 -> 8;
            case 5 -> 6;
            case 6 -> n < 8 ? 8 : cutTextLength(s32(b, at + 4));
            case 248 -> n < 9 ? 9 : 9 + u8(b, at + 8);
            case 250 -> 4;
            case 251 -> n < 8 ? 8 : 8 + 16 * u8(b, at + 6);
            case 255 -> n < 2 ? 2 : qemuLength(b, at, n);
            default -> refuse("unknown RFB client message type " + type + ": nothing after it can be framed");
        };
    }

    private int cutTextLength(int length) {
        // QEMU reads the length as signed (negative: the extended clipboard format) and takes its absolute value
        long size = Math.abs((long) length);
        if (size > MAX_CUT_TEXT) return refuse("RFB ClientCutText of " + size + " bytes is over the limit of " + MAX_CUT_TEXT);
        return 8 + (int) size;
    }

    private int qemuLength(byte[] b, int at, int n) {
        int subtype = u8(b, at + 1);
        if (subtype == 0) return 12;
        if (subtype != 1) return refuse("unknown RFB QEMU client message sub-type " + subtype);
        if (n < 4) return 4;
        int op = u16(b, at + 2);
        return switch (op) {
            case 0, 1 -> 4;
            case 2 -> 10;
            default -> refuse("unknown RFB QEMU audio operation " + op);
        };
    }

    /** Forwards, rewrites or drops one complete unit, and moves to the next phase. */
    private void forward(byte[] b, int at, int length, ByteArrayOutputStream out) {
        switch (phase) {
            case VERSION -> {
                String version = new String(b, at, 12, StandardCharsets.US_ASCII);
                if (!version.equals("RFB 003.008\n") && !version.equals("RFB 003.007\n")) {
                    refuse("RFB version " + VmSockets.shortText(version.strip()) + " is not supported on a view-only display (3.7 or 3.8)");
                    return;
                }
                out.write(b, at, length);
                phase = Phase.SECURITY;
            }
            case SECURITY -> {
                int type = u8(b, at);
                if (type != 1 && type != 2) {
                    refuse("RFB security type " + type + " is not supported on a view-only display (1 None or 2 VNC authentication)");
                    return;
                }
                out.write(type);
                phase = type == 2 ? Phase.VNC_AUTH : Phase.CLIENT_INIT;
            }
            case VNC_AUTH -> {
                out.write(b, at, length);
                phase = Phase.CLIENT_INIT;
            }
            case CLIENT_INIT -> {
                out.write(1); // shared, whatever was asked
                phase = Phase.MESSAGES;
            }
            case MESSAGES -> {
                int type = u8(b, at);
                if (type == 2) writeEncodings(b, at, out);
                else if (watches(type, b, at)) out.write(b, at, length);
            }
        }
    }

    /** Whether a message of {@code type} only asks to see the display (else it is input and dropped). */
    private static boolean watches(int type, byte[] b, int at) {
        return switch (type) {
            case 0, 3, 150, 248 -> true;
            case 255 -> u8(b, at + 1) == 1; // audio: what the VM plays; sub-type 0 is a key
            default -> false; // 4 key, 5 pointer, 6 clipboard, 250 power (xvp), 251 screen size
        };
    }

    private static void writeEncodings(byte[] b, int at, ByteArrayOutputStream out) {
        int count = u16(b, at + 2);
        var kept = new ByteArrayOutputStream(4 * count);
        int keptCount = 0;
        for (int i = 0; i < count; i++) {
            int p = at + 4 + 4 * i;
            if (s32(b, p) == EXTENDED_MOUSE_BUTTONS) continue;
            kept.write(b, p, 4);
            keptCount++;
        }
        out.write(2);
        out.write(b[at + 1]);
        out.write(keptCount >> 8);
        out.write(keptCount);
        out.writeBytes(kept.toByteArray());
    }

    private int refuse(String reason) {
        refused = new Outcome.Refuse(reason);
        return 0;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    private static int u16(byte[] b, int at) {
        return (u8(b, at) << 8) | u8(b, at + 1);
    }

    private static int s32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }
}
