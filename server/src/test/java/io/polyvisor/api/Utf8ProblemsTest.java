package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problems are UTF-8 and say so ({@code charset=utf-8}); non-ASCII input echoed in a detail, from the body or the
 * path, comes back as it was sent. The answers are read as raw bytes and decoded strictly, so a body in another
 * encoding fails here instead of being repaired by a client library.
 */
class Utf8ProblemsTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static RawHttp.Response post(String path, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(s.server.url().getPort(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + s.server.token() + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n" + body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"été", "Ωmega", "名前", "web😀1", "naïve-ü"})
    void nonAsciiFromTheBodySurvivesTheRoundTrip(String name) {
        var r = post("/api/v1/vms", "application/json", "{\"name\":\"" + name + "\",\"memory\":\"64M\"}");
        assertThat(r.problem(400)).isEqualTo("VM name must be 1-63 characters of a-z, 0-9 and '-', starting and ending with "
                + "a letter or digit, got '" + name + "'");
    }

    @Test
    void aDeclaredUtf8CharsetReadsTheSame() {
        var r = post("/api/v1/hosts", "application/json; charset=UTF-8", "{\"uri\":\"sim://dc/Ümlaut\"}");
        assertThat(r.problem(400)).isEqualTo("cannot connect to sim://dc/Ümlaut: host name must be 1-63 characters of a-z, 0-9 "
                + "and '-', starting and ending with a letter or digit, got 'Ümlaut'");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefused() {
        byte[] head = ("POST /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.server.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] latin1 = "{\"name\":\"\u00e9t\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + latin1.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(latin1, 0, request, head.length, latin1.length);
        var r = RawHttp.exchange(s.server.url().getPort(), request);
        assertThat(r.problem(400)).isEqualTo("request body is not valid UTF-8 (at byte 9)");
    }

    @Test
    void nonAsciiFromThePathSurvivesTheRoundTrip() {
        var r = RawHttp.exchange(s.server.url().getPort(), "GET /api/v1/vms/%C3%A9t%C3%A9-%E5%90%8D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + s.server.token() + "\r\nConnection: close\r\n\r\n");
        assertThat(r.problem(404)).isEqualTo("vm été-名 not found");
    }

    @Test
    void theUnauthorizedProblemIsUtf8Too() {
        var r = RawHttp.exchange(s.server.url().getPort(), "GET /api/v1/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(r.problem(401)).isEqualTo("missing or wrong bearer token");
    }
}
