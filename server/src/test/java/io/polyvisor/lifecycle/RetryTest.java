package io.polyvisor.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.Operation;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Retryable driver failures are retried with back-off; past the attempt limit the task and the VM fail with the reason. */
class RetryTest {
    @TempDir
    Path data;

    @Test
    void transientFailuresAreRetriedThenSucceed() {
        String dc = TestServer.uniqueDatacenter();
        try (var s = TestServer.start(data, 0)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}");
            SimDatacenter.named(dc).failNext("h1", Operation.START, 2);
            var r = s.post("/api/v1/vms", "{\"name\":\"flaky\",\"memory\":\"64M\"}");
            JsonNode task = s.awaitTask(r.json().path("task").path("id").asText());
            assertThat(task.path("attempts").asInt()).isEqualTo(3);
            assertThat(s.get("/api/v1/vms/flaky").json().path("state").asText()).isEqualTo("running");
            assertThat(SimDatacenter.named(dc).runningOn(UUID.fromString(r.json().path("vm").path("id").asText()))).containsExactly("h1");
            var retries = s.get("/api/v1/events?limit=1000").json().findValuesAsText("type").stream().filter("task.retry"::equals).count();
            assertThat(retries).isEqualTo(2);
            assertThat(s.get("/api/v1/events?limit=1000").json()).anySatisfy(e -> assertThat(e.path("message").asText())
                    .isEqualTo("create flaky will retry in 50 ms: injected failure of start on sim host h1"));
        }
    }

    @Test
    void persistentFailureFailsTheTaskAndTheVmAfterTheLastAttempt() {
        String dc = TestServer.uniqueDatacenter();
        try (var s = TestServer.start(data, 0)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}");
            SimDatacenter.named(dc).failNext("h1", Operation.START, 100);
            var r = s.post("/api/v1/vms", "{\"name\":\"doomed\",\"memory\":\"64M\"}");
            String id = r.json().path("task").path("id").asText();
            JsonNode task = s.await("/api/v1/tasks/" + id, t -> t.path("status").asText().equals("failed"), Duration.ofSeconds(10));
            assertThat(task.path("attempts").asInt()).isEqualTo(TestServer.FAST.lifecycle().maxAttempts());
            assertThat(task.path("error").asText()).isEqualTo("injected failure of start on sim host h1");
            JsonNode vm = s.get("/api/v1/vms/doomed").json();
            assertThat(vm.path("state").asText()).isEqualTo("failed");
            assertThat(vm.path("state_detail").asText()).isEqualTo("injected failure of start on sim host h1");
            SimDatacenter.named(dc).failNext("h1", Operation.START, 0);
        }
    }
}
