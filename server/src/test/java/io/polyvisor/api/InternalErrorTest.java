package io.polyvisor.api;

import io.polyvisor.server.TestServer;
import io.polyvisor.server.Wiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug behind a route gives a generic 500 problem with an id to find in the log, never a stack trace. */
class InternalErrorTest {
    @TempDir
    Path data;

    @Test
    void bugIsA500ProblemWithoutInternals() {
        Wiring broken = Wiring.defaults().withPlacer((snapshot, request) -> {
            throw new IllegalStateException("secret internal detail");
        });
        try (var s = TestServer.start(data, 0, broken)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1\"}");
            var r = s.post("/api/v1/vms", "{\"name\":\"a\",\"memory\":\"64M\"}");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.detail()).isEqualTo("internal error; the server log has the details under this instance id");
            assertThat(r.json().path("instance").asText()).matches("/errors/[0-9a-f-]{36}");
            assertThat(r.text()).doesNotContain("secret").doesNotContain("IllegalStateException").doesNotContain("\tat ");
            assertThat(s.get("/api/v1/vms").json()).isEmpty();
        }
    }
}
