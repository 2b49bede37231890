package io.polyvisor.console;

import io.polyvisor.server.TestServer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An RFB client of a VM's display WebSocket written by hand, not noVNC: it does whatever it is told, view only or not,
 * as a hostile browser would. {@link #open} completes the RFB 3.8 handshake (security None, shared) up to ServerInit.
 */
final class RawRfbClient implements AutoCloseable {
    private final ByteArrayOutputStream in = new ByteArrayOutputStream();
    private int consumed;
    private WebSocket ws;

    static RawRfbClient open(TestServer s, String vm, String token) throws Exception {
        var c = new RawRfbClient();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(s.server.url().toString().replace("http:", "ws:") + "/api/v1/vms/" + vm + "/vnc"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        synchronized (c) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            c.in.writeBytes(b);
                            c.notifyAll();
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(new String(c.read(12), StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
        c.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        byte[] types = c.read(c.read(1)[0]);
        assertThat(types).as("the display offers security None").contains((byte) 1);
        c.send(new byte[] {1});
        assertThat(c.read(4)).as("SecurityResult ok").isEqualTo(new byte[4]);
        c.send(new byte[] {1}); // ClientInit, shared
        byte[] init = c.read(24);
        int nameLength = ByteBuffer.wrap(init, 20, 4).getInt();
        c.read(nameLength);
        return c;
    }

    /** Types {@code text} as KeyEvents (a press and a release each; newline is Return), as a US keyboard's keysyms. */
    void type(String text) {
        for (char ch : text.toCharArray()) {
            int keysym = ch == '\n' ? 0xff0d : ch;
            for (int down = 1; down >= 0; down--) {
                send(ByteBuffer.allocate(8).put((byte) 4).put((byte) down).putShort((short) 0).putInt(keysym).array());
            }
        }
    }

    void send(byte[] message) {
        ws.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    private synchronized byte[] read(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (in.size() - consumed < n) {
            long left = end - System.nanoTime();
            assertThat(left).as("%d bytes of RFB from the display", n).isPositive();
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        byte[] all = in.toByteArray();
        byte[] out = java.util.Arrays.copyOfRange(all, consumed, consumed + n);
        consumed += n;
        return out;
    }

    @Override
    public void close() throws Exception {
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }
}
