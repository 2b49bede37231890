package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies are limited to 64 KiB while they are read, chunked or not: the server refuses the body as soon as it
 * passes the limit, answers 413 while the client is still sending, and closes the connection; nothing is created.
 * Bodies are valid VM creations padded with JSON whitespace, so a server that read them whole would create VMs.
 */
class BodyLimitTest {
    private static final int LIMIT = 64 * 1024;
    private static final int THIRTY_MB = 30 * 1024 * 1024;

    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 1);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @AfterEach
    void nothingWasCreatedByARefusedBody() {
        assertThat(s.get("/api/v1/vms").json()).extracting(v -> v.path("name").asText()).doesNotContain("chunky", "declared", "over");
    }

    @Test
    void thirtyMegabytesChunkedAreRefusedWhileTheClientIsStillSending() throws Exception {
        try (var c = RawHttp.connect(port(), 20_000)) {
            c.send(head("Transfer-Encoding: chunked"));
            var sent = new AtomicLong();
            var writeFailure = new AtomicReference<IOException>();
            // a steady client: 64 KiB every 10 ms, so 30 MB would take about 5 s
            Thread writer = Thread.ofPlatform().start(() -> {
                byte[] open = "{\"name\":\"chunky\",\"memory\":\"64M\"".getBytes(StandardCharsets.UTF_8);
                try {
                    c.output().write(chunk(open));
                    sent.addAndGet(open.length);
                    byte[] spaces = chunk(" ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8));
                    while (sent.get() + 64 * 1024 < THIRTY_MB) {
                        c.output().write(spaces);
                        sent.addAndGet(64 * 1024);
                        Thread.sleep(10);
                    }
                    c.output().write(chunk("}".getBytes(StandardCharsets.UTF_8)));
                    c.output().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    writeFailure.set(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            var answer = c.read();
            long sentWhenAnswered = sent.get();
            assertThat(answer.problem(413)).isEqualTo("request body is too large (limit 65536 bytes)");
            assertThat(answer.header("Connection")).isEqualTo("close");
            // 30 MB would take some 5 s at this pace; the answer comes after the first 64 KiB (slack for a loaded machine)
            assertThat(sentWhenAnswered).as("bytes the client had sent when the answer came").isLessThan(8 * 1024 * 1024);

            writer.join(15_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(writeFailure.get()).as("the server closed the connection while the client was still sending (%d bytes sent)",
                    sent.get()).isNotNull();
            assertThat(sent.get()).isLessThan(THIRTY_MB);
        }
    }

    @Test
    void aChunkedBodyOneByteOverTheLimitIsRefusedAndOneAtTheLimitIsRead() {
        var over = RawHttp.exchange(port(), new String(head("Transfer-Encoding: chunked"), StandardCharsets.UTF_8)
                + chunked(padded("over", LIMIT + 1)));
        assertThat(over.problem(413)).isEqualTo("request body is too large (limit 65536 bytes)");

        var exact = RawHttp.exchange(port(), new String(head("Transfer-Encoding: chunked"), StandardCharsets.UTF_8)
                + chunked(padded("exact", LIMIT)));
        assertThat(exact.status()).as(exact.toString()).isEqualTo(202);
        assertThat(exact.json().path("vm").path("name").asText()).isEqualTo("exact");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyArrives() {
        try (var c = RawHttp.connect(port(), 20_000)) {
            long t0 = System.nanoTime();
            c.send(head("Content-Length: " + THIRTY_MB));
            c.send("{\"name\":\"declared\",\"memory\":\"64M\"".getBytes(StandardCharsets.UTF_8));
            var answer = c.read();
            assertThat(answer.problem(413)).isEqualTo("request body is too large (limit 65536 bytes)");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to the answer, far below the idle timeout").isLessThan(5_000);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static int port() {
        return s.server.url().getPort();
    }

    private static byte[] head(String framing) {
        return ("POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.server.token()
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A VM creation of exactly {@code size} bytes. */
    private static String padded(String name, int size) {
        String open = "{\"name\":\"" + name + "\",\"memory\":\"64M\"";
        return open + " ".repeat(size - open.length() - 1) + "}";
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        System.arraycopy(data, 0, out, size.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** {@code body} in 1000-byte chunks, with the last chunk. */
    private static String chunked(String body) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i += 1000) {
            String part = body.substring(i, Math.min(body.length(), i + 1000));
            b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }
}
