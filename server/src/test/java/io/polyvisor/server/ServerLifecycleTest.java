package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The "done" scenario end to end over HTTP: create, running, listed, survives restart, deleted, events. */
class ServerLifecycleTest {
    @TempDir
    Path data;

    @Test
    void createRunsSurvivesRestartAndDeletesWithEventsInOrder() throws Exception {
        String token;
        String id;
        try (var s = TestServer.start(data, 4)) {
            token = s.server.token();
            assertThat(s.get("/api/v1/hosts").json()).extracting(h -> h.path("name").asText())
                    .contains("h1", "h2", "h3", "h4");
            var created = s.post("/api/v1/vms", "{\"name\":\"web1\",\"vcpus\":1,\"memory\":\"256M\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(202);
            id = created.json().path("vm").path("id").asText();
            s.awaitTask(created.json().path("task").path("id").asText());
            JsonNode vm = s.get("/api/v1/vms/web1").json();
            assertThat(vm.path("state").asText()).isEqualTo("running");
            assertThat(vm.path("memory_bytes").asLong()).isEqualTo(256L << 20);
            assertThat(s.get("/api/v1/vms").json()).extracting(v -> v.path("name").asText()).containsExactly("web1");
            assertThat(SimDatacenter.named("local").runningOn(UUID.fromString(id))).containsExactly(vm.path("host").asText());
        }
        // restart on the same data folder: same token, VM still there and running
        try (var s = TestServer.start(data, 4)) {
            assertThat(s.server.token()).isEqualTo(token);
            assertThat(s.get("/api/v1/hosts").json()).hasSize(4); // --sim seeds on first start only
            JsonNode vm = s.await("/api/v1/vms/web1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(5));
            assertThat(vm.path("id").asText()).isEqualTo(id);
            var del = s.delete("/api/v1/vms/web1");
            assertThat(del.status()).as(del.text()).isEqualTo(202);
            s.awaitTask(del.json().path("id").asText());
            assertThat(s.get("/api/v1/vms/web1").status()).isEqualTo(404);
            assertThat(s.get("/api/v1/vms").json()).isEmpty();
            assertThat(SimDatacenter.named("local").runningOn(UUID.fromString(id))).isEmpty();

            List<String> types = new ArrayList<>();
            for (JsonNode e : s.get("/api/v1/events?limit=1000").json()) {
                if (e.path("subject").asText().equals("web1")) types.add(e.path("type").asText() + ":" + e.path("message").asText());
            }
            // a create that starts writes pending -> running once; a delete removes the VM from its host and the row together
            assertThat(types).extracting(t -> t.substring(0, t.indexOf(':'))).containsSubsequence(
                    "vm.created", "task.started", "vm.state", "task.succeeded",
                    "task.queued", "task.started", "vm.undefined", "vm.deleted", "task.succeeded");
            assertThat(types).anyMatch(t -> t.startsWith("vm.state:web1 is running on host "));
        }
    }

    @Test
    void adminTokenIsOwnerOnlyAndReused() throws Exception {
        String first;
        Path fresh = data.resolve("new-folder");
        try (var s = TestServer.start(fresh, 0)) {
            first = s.server.token();
            assertThat(s.server.tokenFile()).isEqualTo(fresh.resolve("admin.token"));
        }
        assertThat(Files.getPosixFilePermissions(fresh.resolve("admin.token")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.getPosixFilePermissions(fresh)).as("a new data folder is owner-only").isEqualTo(Set.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        assertThat(first).matches("[A-Za-z0-9_-]{43}");
        try (var s = TestServer.start(fresh, 0)) {
            assertThat(s.server.token()).isEqualTo(first);
        }
    }
}
