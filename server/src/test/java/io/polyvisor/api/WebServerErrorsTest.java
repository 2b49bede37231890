package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The errors the web server answers by itself, before any route runs, are problems in UTF-8 like every other
 * error: never Jetty's HTML page. Requests are written byte by byte, as a client library would refuse to send them.
 */
class WebServerErrorsTest {
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

    private static RawHttp.Response send(String requestLine, String extraHeaders) {
        return RawHttp.exchange(s.server.url().getPort(), requestLine + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + s.server.token() + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            GET /api/v1/hosts/%zz HTTP/1.1      | malformed request: the request line, its percent-encoding or a header is not valid HTTP
            GET /api/v1/vms/a%2 HTTP/1.1        | malformed request: the request line, its percent-encoding or a header is not valid HTTP
            DELETE /api/v1/vms/%G1 HTTP/1.1     | malformed request: the request line, its percent-encoding or a header is not valid HTTP
            GARBAGE                             | malformed request: the request line, its percent-encoding or a header is not valid HTTP (No URI)
            GET http://elsewhere.example/api/v1/hosts HTTP/1.1 | malformed request: the request line, its percent-encoding or a header is not valid HTTP (Mismatched Authority)
            """)
    void anUnparsableRequestIs400(String requestLine, String detail) {
        assertThat(send(requestLine, "").problem(400)).isEqualTo(detail);
    }

    @Test
    void aRequestWithoutHostIs400() {
        var r = RawHttp.exchange(s.server.url().getPort(), "GET /api/v1/hosts HTTP/1.1\r\nAuthorization: Bearer " + s.server.token()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(r.problem(400)).isEqualTo("malformed request: the request line, its percent-encoding or a header is not valid HTTP (No Host)");
    }

    @Test
    void anotherHttpVersionIs505AndAnUnknownExpectationIs417() {
        assertThat(send("GET /api/v1/hosts HTTP/3.0", "").problem(505)).isEqualTo("HTTP version not supported: use HTTP/1.1 or HTTP/1.0");
        assertThat(send("POST /api/v1/vms HTTP/1.1", "Content-Type: application/json\r\nExpect: teapot\r\nContent-Length: 0\r\n").problem(417))
                .isEqualTo("the Expect header is not supported (only 100-continue is)");
    }

    @Test
    void aTwentyKilobyteUriIs414() {
        var r = send("GET /api/v1/vms/" + "a".repeat(20_000) + " HTTP/1.1", "");
        assertThat(r.problem(414)).isEqualTo("request URI is too long (request line and headers are limited to 8192 bytes)");
    }

    @Test
    void fortyKilobytesOfHeadersAre431() {
        var r = send("GET /api/v1/hosts HTTP/1.1", "X-Padding: " + "b".repeat(40_000) + "\r\n");
        assertThat(r.problem(431)).isEqualTo("request headers are too large (request line and headers are limited to 8192 bytes)");
        var many = send("GET /api/v1/hosts HTTP/1.1", ("X-More: " + "c".repeat(100) + "\r\n").repeat(400));
        assertThat(many.problem(431)).isEqualTo("request headers are too large (request line and headers are limited to 8192 bytes)");
    }

    @Test
    void anUnknownRouteIs404() {
        assertThat(send("GET /api/v1/nope HTTP/1.1", "").problem(404)).isEqualTo("no route GET /api/v1/nope");
        assertThat(send("POST /nothing/here HTTP/1.1", "Content-Length: 0\r\n").problem(404)).isEqualTo("no route POST /nothing/here");
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        var r = send("PUT /api/v1/hosts HTTP/1.1", "Content-Length: 0\r\n");
        assertThat(r.problem(405)).isEqualTo("method PUT is not allowed on /api/v1/hosts");
        assertThat(r.header("Allow")).isEqualTo("GET, POST, HEAD");
        var one = send("DELETE /api/v1/events HTTP/1.1", "");
        assertThat(one.problem(405)).isEqualTo("method DELETE is not allowed on /api/v1/events");
        assertThat(one.header("Allow")).isEqualTo("GET, HEAD");
        var unknown = send("BREW /api/v1/hosts HTTP/1.1", "");
        assertThat(unknown.problem(405)).isEqualTo("method BREW is not allowed on /api/v1/hosts");
        assertThat(unknown.header("Allow")).isEqualTo("GET, POST, HEAD");
        var params = send("POST /api/v1/vms/web1 HTTP/1.1", "Content-Length: 0\r\n");
        assertThat(params.problem(405)).isEqualTo("method POST is not allowed on /api/v1/vms/web1");
        assertThat(params.header("Allow")).isEqualTo("GET, DELETE, HEAD");
    }
}
