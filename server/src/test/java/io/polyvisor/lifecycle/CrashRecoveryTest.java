package io.polyvisor.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.model.Task;
import io.polyvisor.server.TestServer;
import io.polyvisor.server.Wiring;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server killed between any two steps of a task converges after restart: the task is re-run from the
 * start, and because every step is idempotent per VM UUID the VM ends up in its desired state exactly
 * once - never lost, never defined or running on two hosts.
 */
class CrashRecoveryTest {
    @TempDir
    Path data;

    @ParameterizedTest(name = "crash in {0} after {1}")
    @CsvSource({
            "CREATE, define, running",
            "CREATE, start, running",
            "STOP, stop, stopped",
            "MIGRATE, migrating, running",
            "MIGRATE, migrated, running",
            "DELETE, destroy, gone",
            "DELETE, undefine, gone"})
    void killedMidTaskConvergesExactlyOnceAfterRestart(Task.Kind kind, String step, String expected) {
        String dc = TestServer.uniqueDatacenter();
        SimDatacenter sim = SimDatacenter.named(dc);
        AtomicBoolean armed = new AtomicBoolean(kind == Task.Kind.CREATE);
        StepHook crashOnce = (task, s) -> {
            if (task.kind() == kind && s.equals(step) && armed.compareAndSet(true, false)) {
                throw new StepHook.Crash("in " + kind + " after " + step);
            }
        };
        UUID id;
        String taskId;
        try (var s = TestServer.start(data, 0, Wiring.defaults().withStepHook(crashOnce))) {
            for (String h : new String[] {"h1", "h2"}) {
                assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "\"}").status()).isEqualTo(201);
            }
            var created = s.post("/api/v1/vms", "{\"name\":\"app1\",\"memory\":\"64M\",\"host\":\"h1\"}");
            id = UUID.fromString(created.json().path("vm").path("id").asText());
            taskId = created.json().path("task").path("id").asText();
            if (kind != Task.Kind.CREATE) {
                s.awaitTask(taskId);
                armed.set(true);
                String path = "/api/v1/vms/app1" + switch (kind) {
                    case STOP -> "/stop";
                    case MIGRATE -> "/migrate";
                    default -> "";
                };
                var r = kind == Task.Kind.DELETE ? s.delete(path) : s.post(path, kind == Task.Kind.MIGRATE ? "{\"to\":\"h2\"}" : "");
                assertThat(r.status()).as(r.text()).isEqualTo(202);
                taskId = r.json().path("id").asText();
            }
            String t = taskId;
            // the controller died after the step: the task stays "running" and nothing more happens
            s.await("/api/v1/tasks/" + t, j -> j.path("status").asText().equals("running") && !armed.get(), Duration.ofSeconds(10));
            s.server.halt();
        }
        try (var s = TestServer.start(data, 0)) {
            JsonNode task = s.awaitTask(taskId);
            assertThat(task.path("attempts").asInt()).isEqualTo(2);
            if (expected.equals("gone")) {
                assertThat(s.get("/api/v1/vms/app1").status()).isEqualTo(404);
                assertThat(definitions(sim, id)).isZero();
            } else {
                JsonNode vm = s.await("/api/v1/vms/app1", v -> v.path("state").asText().equals(expected), Duration.ofSeconds(5));
                String host = kind == Task.Kind.MIGRATE ? "h2" : "h1";
                assertThat(vm.path("host").asText()).isEqualTo(host);
                assertThat(definitions(sim, id)).as("defined on exactly one host").isEqualTo(1);
                assertThat(sim.runningOn(id)).isEqualTo(expected.equals("running") ? java.util.List.of(host) : java.util.List.of());
                assertThat(s.get("/api/v1/vms").json()).hasSize(1);
            }
        }
    }

    /** On how many hosts of the data centre the VM is defined. */
    private static long definitions(SimDatacenter sim, UUID id) {
        long n = 0;
        for (String h : sim.hosts()) {
            try (var c = sim.connect(h)) {
                n += c.compute().list().stream().filter(d -> d.id().equals(id)).count();
            }
        }
        return n;
    }
}
