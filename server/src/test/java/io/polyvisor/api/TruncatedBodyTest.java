package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body cut short, by a client that closes its side before the declared length or by broken chunked framing, is
 * a 400 problem naming how much arrived, never a bare 500; nothing is created.
 */
class TruncatedBodyTest {
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
    void nothingWasCreated() {
        assertThat(s.get("/api/v1/vms").json()).isEmpty();
    }

    private static byte[] head(String framing) {
        return ("POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.server.token()
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aClientThatClosesBeforeTheDeclaredLengthGetsA400() throws Exception {
        try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
            c.send(head("Content-Length: 100"));
            c.send("{\"name\":\"cut\"".getBytes(StandardCharsets.UTF_8));
            c.shutdownOutput();
            assertThat(c.read().problem(400)).isEqualTo("request body ended after 13 of 100 bytes");
        }
    }

    @Test
    void brokenChunkedFramingIsA400() {
        try (var c = RawHttp.connect(s.server.url().getPort(), 20_000)) {
            c.send(head("Transfer-Encoding: chunked"));
            c.send("d\r\n{\"name\":\"cut\"\r\nzz\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.read().problem(400)).isEqualTo("request body ended early or its chunked framing is malformed, after 13 bytes");
        }
    }
}
