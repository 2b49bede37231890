package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request body is JSON in UTF-8 or it is refused with 415 before it is read: {@code application/json} or
 * {@code application/*+json}, no charset or utf-8. The refused bodies are valid VM creations, so reading them
 * would create VMs.
 */
class ContentTypeTest {
    private static final String CREATE = "{\"name\":\"typed\",\"memory\":\"64M\"}";

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

    /** POST {@code body} to {@code path} with {@code contentTypeHeader} (a whole header line, or empty for none). */
    private static RawHttp.Response post(String path, String contentTypeHeader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(s.server.url().getPort(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + s.server.token() + "\r\n" + contentTypeHeader + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            text/plain                               | a request body must be sent with Content-Type: application/json, got text/plain
            application/x-www-form-urlencoded        | a request body must be sent with Content-Type: application/json, got application/x-www-form-urlencoded
            application/xml                          | a request body must be sent with Content-Type: application/json, got application/xml
            text/json                                | a request body must be sent with Content-Type: application/json, got text/json
            application/jsonp                        | a request body must be sent with Content-Type: application/json, got application/jsonp
            application/json-seq                     | a request body must be sent with Content-Type: application/json, got application/json-seq
            application/json; charset=ISO-8859-1     | a JSON request body must be UTF-8, got charset=ISO-8859-1
            application/json;charset="utf-16"        | a JSON request body must be UTF-8, got charset=utf-16
            """)
    void aBodyThatIsNotJsonIsRefusedWith415(String contentType, String detail) {
        var r = post("/api/v1/vms", "Content-Type: " + contentType + "\r\n", CREATE);
        assertThat(r.problem(415)).isEqualTo(detail);
        assertThat(s.get("/api/v1/vms").json()).as("nothing created").isEmpty();
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedWith415() {
        assertThat(post("/api/v1/vms", "", CREATE).problem(415))
                .isEqualTo("a request body must be sent with Content-Type: application/json, got no Content-Type");
        assertThat(post("/api/v1/hosts/h1/maintenance", "", "{\"enabled\":true}").problem(415))
                .isEqualTo("a request body must be sent with Content-Type: application/json, got no Content-Type");
        assertThat(s.get("/api/v1/vms").json()).isEmpty();
        assertThat(s.get("/api/v1/hosts/h1").json().path("state").asText()).isEqualTo("connected");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;Charset=\"UTF-8\"",
            "application/merge-patch+json", "application/vnd.polyvisor.v1+json; charset=utf-8"})
    void jsonMediaTypesReachTheRoute(String contentType) {
        // a body the route refuses: it was read and parsed, and nothing is created
        var r = post("/api/v1/vms", "Content-Type: " + contentType + "\r\n", "{\"name\":\"typed\"}");
        assertThat(r.problem(400)).isEqualTo("memory is required (e.g. \"memory\": \"512M\")");
    }

    @Test
    void aRequestWithoutABodyNeedsNoContentType() {
        var r = post("/api/v1/vms/nope/start", "", "");
        assertThat(r.problem(404)).isEqualTo("vm nope not found");
    }
}
