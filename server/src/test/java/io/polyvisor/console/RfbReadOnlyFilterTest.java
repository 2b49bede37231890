package io.polyvisor.console;

import io.polyvisor.console.RfbReadOnlyFilter.Outcome;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A viewer's RFB stream, as noVNC (or a hostile client) sends it, through the read-only filter in every kind of split. */
class RfbReadOnlyFilterTest {
    static final byte[] HANDSHAKE = concat("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII), bytes(1), bytes(1));

    // what a client may send once connected, the way noVNC 1.7 writes each (rfb.js RFB.messages)
    static final byte[] PIXEL_FORMAT = concat(bytes(0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0));
    static final byte[] ENCODINGS = encodings(7, -223, -258, -316, 0);
    static final byte[] ENCODINGS_KEPT = encodings(7, -223, -258, 0);
    static final byte[] UPDATE_REQUEST = bytes(3, 1, 0, 0, 0, 0, 2, 208, 1, 144);
    static final byte[] CONTINUOUS = bytes(150, 1, 0, 0, 0, 0, 2, 208, 1, 144);
    static final byte[] FENCE = concat(bytes(248, 0, 0, 0, 0, 0, 0, 3, 4), "abcd".getBytes(StandardCharsets.US_ASCII));
    static final byte[] AUDIO_ON = bytes(255, 1, 0, 0);
    static final byte[] AUDIO_FORMAT = bytes(255, 1, 0, 2, 3, 2, 0, 0, 172, 68);
    static final byte[] KEY = bytes(4, 1, 0, 0, 0, 0, 0, 0x61);
    static final byte[] POINTER = bytes(5, 1, 0, 10, 0, 20);
    static final byte[] CUT_TEXT = concat(bytes(6, 0, 0, 0, 0, 0, 0, 5), "rm -r".getBytes(StandardCharsets.US_ASCII));
    static final byte[] EXTENDED_CUT_TEXT = concat(bytes(6, 0, 0, 0, 0xff, 0xff, 0xff, 0xfc), bytes(0x10, 0, 0, 1)); // length -4
    static final byte[] XVP_REBOOT = bytes(250, 0, 1, 3);
    static final byte[] DESKTOP_SIZE = concat(bytes(251, 0, 4, 0, 3, 0, 1, 0), new byte[16]);
    static final byte[] QEMU_KEY = bytes(255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 30);

    @Test
    void theHandshakeAndWhatShowsTheScreenPassAndEveryInputIsDropped() {
        var f = new RfbReadOnlyFilter();
        assertThat(forwarded(f.accept(HANDSHAKE))).isEqualTo(HANDSHAKE);
        record Case(String name, byte[] sent, byte[] forwarded) {}
        var none = new byte[0];
        for (var c : List.of(new Case("SetPixelFormat", PIXEL_FORMAT, PIXEL_FORMAT),
                new Case("SetEncodings, without ExtendedMouseButtons", ENCODINGS, ENCODINGS_KEPT),
                new Case("FramebufferUpdateRequest", UPDATE_REQUEST, UPDATE_REQUEST),
                new Case("EnableContinuousUpdates", CONTINUOUS, CONTINUOUS), new Case("Fence", FENCE, FENCE),
                new Case("QEMU audio on", AUDIO_ON, AUDIO_ON), new Case("QEMU audio format", AUDIO_FORMAT, AUDIO_FORMAT),
                new Case("KeyEvent", KEY, none), new Case("PointerEvent", POINTER, none), new Case("ClientCutText", CUT_TEXT, none),
                new Case("extended ClientCutText", EXTENDED_CUT_TEXT, none), new Case("xvp reboot", XVP_REBOOT, none),
                new Case("SetDesktopSize", DESKTOP_SIZE, none), new Case("QEMU extended key", QEMU_KEY, none))) {
            assertThat(forwarded(f.accept(c.sent()))).as(c.name()).isEqualTo(c.forwarded());
        }
    }

    @Test
    void anySplitOfTheStreamForwardsTheSameBytes() {
        byte[] stream = concat(HANDSHAKE, PIXEL_FORMAT, ENCODINGS, UPDATE_REQUEST, KEY, POINTER, POINTER, CUT_TEXT, UPDATE_REQUEST,
                QEMU_KEY, EXTENDED_CUT_TEXT, CONTINUOUS, DESKTOP_SIZE, FENCE, XVP_REBOOT, AUDIO_ON, KEY, AUDIO_FORMAT, UPDATE_REQUEST);
        byte[] expected = concat(HANDSHAKE, PIXEL_FORMAT, ENCODINGS_KEPT, UPDATE_REQUEST, UPDATE_REQUEST, CONTINUOUS, FENCE, AUDIO_ON,
                AUDIO_FORMAT, UPDATE_REQUEST);
        var random = new Random(14);
        for (int round = 0; round < 500; round++) {
            var f = new RfbReadOnlyFilter();
            var out = new ByteArrayOutputStream();
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, round == 0 ? 1 : 1 + random.nextInt(round % 2 == 0 ? 4 : 40));
                out.writeBytes(forwarded(f.accept(Arrays.copyOfRange(stream, at, at + n))));
                at += n;
            }
            assertThat(out.toByteArray()).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void anExclusiveClientInitIsSentShared() {
        var f = new RfbReadOnlyFilter();
        byte[] exclusive = concat("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII), bytes(1), bytes(0));
        assertThat(forwarded(f.accept(exclusive))).isEqualTo(HANDSHAKE);
    }

    @Test
    void vncAuthenticationsResponseIsPassedOn() {
        var f = new RfbReadOnlyFilter();
        byte[] response = new byte[16];
        Arrays.fill(response, (byte) 4); // would be a KeyEvent if taken for a message
        byte[] stream = concat("RFB 003.007\n".getBytes(StandardCharsets.US_ASCII), bytes(2), response, bytes(1), KEY, UPDATE_REQUEST);
        assertThat(forwarded(f.accept(stream)))
                .isEqualTo(concat("RFB 003.007\n".getBytes(StandardCharsets.US_ASCII), bytes(2), response, bytes(1), UPDATE_REQUEST));
    }

    @Test
    void whatCannotBeFramedClosesAndNothingAfterItIsForwarded() {
        var f = new RfbReadOnlyFilter();
        f.accept(HANDSHAKE);
        assertThat(f.accept(concat(UPDATE_REQUEST, bytes(7), UPDATE_REQUEST)))
                .isEqualTo(new Outcome.Refuse("unknown RFB client message type 7: nothing after it can be framed"));
        assertThat(f.accept(UPDATE_REQUEST)).as("it stays closed").isInstanceOf(Outcome.Refuse.class);

        assertThat(refusal(bytes(255, 9))).isEqualTo("unknown RFB QEMU client message sub-type 9");
        assertThat(refusal(bytes(255, 1, 0, 7))).isEqualTo("unknown RFB QEMU audio operation 7");
        assertThat(refusal(bytes(6, 0, 0, 0, 0, 0x10, 0, 1))).isEqualTo("RFB ClientCutText of 1048577 bytes is over the limit of 1048576");
        assertThat(refusal(bytes(6, 0, 0, 0, 0x80, 0, 0, 0))).isEqualTo("RFB ClientCutText of 2147483648 bytes is over the limit of 1048576");
    }

    @Test
    void onlyRfb37Or38WithNoneOrVncAuthenticationIsSpoken() {
        assertThat(new RfbReadOnlyFilter().accept("RFB 003.003\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new Outcome.Refuse("RFB version RFB 003.003 is not supported on a view-only display (3.7 or 3.8)"));
        var f = new RfbReadOnlyFilter();
        assertThat(f.accept(concat("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII), bytes(19))))
                .isEqualTo(new Outcome.Refuse("RFB security type 19 is not supported on a view-only display (1 None or 2 VNC authentication)"));
    }

    @Test
    void anIncompleteMessageWaitsForItsRest() {
        var f = new RfbReadOnlyFilter();
        f.accept(HANDSHAKE);
        assertThat(forwarded(f.accept(Arrays.copyOf(UPDATE_REQUEST, 9)))).isEmpty();
        assertThat(forwarded(f.accept(concat(Arrays.copyOfRange(UPDATE_REQUEST, 9, 10), Arrays.copyOf(CUT_TEXT, 10))))).isEqualTo(UPDATE_REQUEST);
        assertThat(forwarded(f.accept(concat(Arrays.copyOfRange(CUT_TEXT, 10, CUT_TEXT.length), FENCE)))).isEqualTo(FENCE);
    }

    private static String refusal(byte[] message) {
        var f = new RfbReadOnlyFilter();
        f.accept(HANDSHAKE);
        return ((Outcome.Refuse) f.accept(message)).reason();
    }

    static byte[] forwarded(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Forward.class);
        return ((Outcome.Forward) o).bytes();
    }

    static byte[] encodings(int... codes) {
        var b = ByteBuffer.allocate(4 + 4 * codes.length).put((byte) 2).put((byte) 0).putShort((short) codes.length);
        for (int c : codes) b.putInt(c);
        return b.array();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
