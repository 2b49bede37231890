package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request line's method is the only one: {@code X-HTTP-Method-Override} is refused (400), never routed by. Found by
 * {@link OpenApiFuzzTest}: before, {@code GET /api/v1/vms/web} with {@code X-HTTP-Method-Override: DELETE} deleted the
 * VM (202), and {@code POST /api/v1/vms/web/stop} with it answered 405 "method POST is not allowed" with Allow: POST.
 */
class MethodOverrideTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 1);
        var r = s.post("/api/v1/vms", "{\"name\":\"web\",\"memory\":\"64M\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/v1/vms/web,DELETE", "POST,/api/v1/vms/web/stop,DELETE", "GET,/api/v1/vms,POST", "GET,/api/v1/vms/web,FOO",
            "DELETE,/api/v1/vms/web,GET"})
    void anOverrideIsRefusedAndNothingHappens(String method, String path, String override) {
        long tasks = s.get("/api/v1/tasks?limit=1000").json().size();
        var r = RawHttp.exchange(s.server.url().getPort(), method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + s.server.token() + "\r\nX-HTTP-Method-Override: " + override + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(r.problem(400)).isEqualTo("the X-HTTP-Method-Override header is not supported: send the request with the method itself");
        assertThat(s.get("/api/v1/vms/web").json().path("state").asText()).isEqualTo("running");
        assertThat(s.get("/api/v1/tasks?limit=1000").json().size()).as("tasks").isEqualTo(tasks);
    }
}
