package io.polyvisor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every route's happy path on the simulator, and the conflicts users meet on the way. */
class RoutesTest {
    @TempDir
    static Path data;
    static TestServer s;
    static String dc;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        dc = TestServer.uniqueDatacenter();
        for (String h : new String[] {"h1", "h2"}) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=16G\",\"labels\":{\"rack\":\"r1\"}}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private JsonNode create(String body) {
        var r = s.post("/api/v1/vms", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return r.json().path("vm");
    }

    private JsonNode run(String path, String body, int status) {
        var r = s.post(path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return s.awaitTask(r.json().path("id").asText());
    }

    private String state(String vm) {
        return s.get("/api/v1/vms/" + vm).json().path("state").asText();
    }

    @Test
    void hosts() {
        var h = s.get("/api/v1/hosts/h1").json();
        assertThat(h.path("uri").asText()).isEqualTo("sim://" + dc + "/h1?cpus=8&memory=16G");
        assertThat(h.path("driver").asText()).isEqualTo("sim");
        assertThat(h.path("state").asText()).isEqualTo("connected");
        assertThat(h.path("cpus").asInt()).isEqualTo(8);
        assertThat(h.path("memory_bytes").asLong()).isEqualTo(16L << 30);
        assertThat(h.path("labels").path("rack").asText()).isEqualTo("r1");
        assertThat(h.path("capabilities")).extracting(JsonNode::asText).contains("compute", "migration", "events");

        var added = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h3\"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("name").asText()).isEqualTo("h3"); // name from the URI
        var dup = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h3\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.detail()).isEqualTo("host h3 already has URI sim://" + dc + "/h3");

        var m = s.post("/api/v1/hosts/h3/maintenance", "{\"enabled\":true}");
        assertThat(m.json().path("state").asText()).isEqualTo("maintenance");
        var pinned = s.post("/api/v1/vms", "{\"name\":\"nope\",\"memory\":\"64M\",\"host\":\"h3\"}");
        assertThat(pinned.status()).isEqualTo(422);
        assertThat(s.post("/api/v1/hosts/h3/maintenance", "{\"enabled\":false}").json().path("state").asText()).isEqualTo("connected");

        assertThat(s.delete("/api/v1/hosts/h3").status()).isEqualTo(204);
        assertThat(s.get("/api/v1/hosts/h3").status()).isEqualTo(404);
        assertThat(s.get("/api/v1/drivers").json()).extracting(d -> d.path("name").asText()).contains("sim");
    }

    @Test
    void vmPowerOperationsMigrationAndDelete() {
        JsonNode vm = create("{\"name\":\"ops1\",\"vcpus\":2,\"memory\":\"128M\",\"host\":\"h1\",\"labels\":{\"app\":\"web\"},"
                + "\"priority\":4,\"protection\":\"restart\",\"expose\":[80]}");
        UUID id = UUID.fromString(vm.path("id").asText());
        var shown = s.get("/api/v1/vms/" + id).json(); // by UUID
        assertThat(shown.path("name").asText()).isEqualTo("ops1");
        assertThat(shown.path("host").asText()).isEqualTo("h1");
        assertThat(shown.path("state").asText()).isEqualTo("running");
        assertThat(shown.path("vcpus").asInt()).isEqualTo(2);
        assertThat(shown.path("priority").asInt()).isEqualTo(4);
        assertThat(shown.path("protection").asText()).isEqualTo("restart");
        assertThat(shown.path("boot").path("type").asText()).isEqualTo("none");
        int hostPort = Integer.parseInt(shown.path("endpoints").get(0).path("address").asText().split(":")[1]);
        assertThat(SimDatacenter.named(dc).forwards("h1", id)).containsEntry(hostPort, 80);

        assertThat(s.get("/api/v1/vms?host=h1").json()).extracting(v -> v.path("name").asText()).contains("ops1");
        assertThat(s.get("/api/v1/vms?host=h2").json()).extracting(v -> v.path("name").asText()).doesNotContain("ops1");
        assertThat(s.get("/api/v1/vms?label=app=web").json()).extracting(v -> v.path("name").asText()).containsExactly("ops1");

        var dup = s.post("/api/v1/vms", "{\"name\":\"ops1\",\"memory\":\"64M\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.detail()).isEqualTo("a VM named ops1 already exists");

        run("/api/v1/vms/ops1/suspend", "", 202);
        assertThat(state("ops1")).isEqualTo("paused");
        assertThat(s.post("/api/v1/vms/ops1/reboot", "").detail()).isEqualTo("vm ops1 is paused; it must be running to reboot");
        run("/api/v1/vms/ops1/resume", "{}", 202);
        assertThat(state("ops1")).isEqualTo("running");
        run("/api/v1/vms/ops1/reboot", "", 202);
        assertThat(state("ops1")).isEqualTo("running");

        JsonNode mig = run("/api/v1/vms/ops1/migrate", "{\"to\":\"h2\"}", 202);
        assertThat(mig.path("kind").asText()).isEqualTo("migrate");
        assertThat(Long.parseLong(mig.path("result").path("total_ms").asText())).isPositive();
        assertThat(Long.parseLong(mig.path("result").path("downtime_ms").asText())).isNotNegative();
        assertThat(s.get("/api/v1/vms/ops1").json().path("host").asText()).isEqualTo("h2");
        assertThat(SimDatacenter.named(dc).runningOn(id)).containsExactly("h2");
        assertThat(SimDatacenter.named(dc).forwards("h2", id)).containsEntry(hostPort, 80); // same address after migration

        var del = s.delete("/api/v1/hosts/h2");
        assertThat(del.status()).isEqualTo(409);
        assertThat(del.detail()).isEqualTo("host h2 still has 1 VM");

        JsonNode stop = run("/api/v1/vms/ops1/stop", "", 202);
        assertThat(stop.path("result").path("forced").asText()).isEqualTo("false"); // the sim guest obeys ACPI
        assertThat(state("ops1")).isEqualTo("stopped");
        assertThat(s.get("/api/v1/vms/ops1").json().path("intent").asText()).isEqualTo("stopped");
        assertThat(s.post("/api/v1/vms/ops1/stop", "").detail()).isEqualTo("vm ops1 is already stopped");
        var migStopped = s.post("/api/v1/vms/ops1/migrate", "{\"to\":\"h1\"}");
        assertThat(migStopped.status()).isEqualTo(409);
        assertThat(migStopped.detail()).isEqualTo("vm ops1 is stopped; it must be running to migrate");
        run("/api/v1/vms/ops1/start", "", 202);
        assertThat(state("ops1")).isEqualTo("running");
        JsonNode forced = run("/api/v1/vms/ops1/stop", "{\"force\":true}", 202);
        assertThat(forced.path("result").path("forced").asText()).isEqualTo("true");

        var tasks = s.get("/api/v1/tasks?vm=ops1&limit=100").json();
        assertThat(tasks).extracting(t -> t.path("kind").asText()).containsExactly(
                "stop", "start", "stop", "migrate", "reboot", "resume", "suspend", "create"); // newest first
        assertThat(tasks).allSatisfy(t -> assertThat(t.path("vm_name").asText()).isEqualTo("ops1"));
        assertThat(s.get("/api/v1/tasks?vm=ops1&status=failed").json()).isEmpty();

        var d = s.delete("/api/v1/vms/ops1");
        assertThat(d.status()).isEqualTo(202);
        s.awaitTask(d.json().path("id").asText());
        assertThat(s.get("/api/v1/vms/ops1").status()).isEqualTo(404);
        assertThat(SimDatacenter.named(dc).runningOn(id)).isEmpty();
        assertThat(s.get("/api/v1/tasks?vm=" + id).status()).isEqualTo(404); // the VM is gone; its tasks stay listed
        assertThat(s.get("/api/v1/tasks?limit=1000").json()).filteredOn(t -> t.path("vm_id").asText().equals(id.toString())).hasSize(9);
    }

    @Test
    void createStoppedThenOperationsWhileBusyAreRefused() {
        var r = s.post("/api/v1/vms", "{\"name\":\"cold1\",\"memory\":\"64M\",\"start\":false}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("vm").path("state").asText()).isEqualTo("pending");
        assertThat(r.json().path("vm").path("intent").asText()).isEqualTo("stopped");
        s.awaitTask(r.json().path("task").path("id").asText());
        assertThat(state("cold1")).isEqualTo("stopped");
        var events = s.get("/api/v1/events?limit=1000").json();
        assertThat(events).filteredOn(e -> e.path("subject").asText().equals("cold1")).extracting(e -> e.path("type").asText())
                .contains("vm.created", "task.started", "vm.state", "task.succeeded");
        var sim = SimDatacenter.named(dc);
        for (String h : new String[] {"h1", "h2"}) sim.delay(h, io.polyvisor.sim.Operation.UNDEFINE, Duration.ofMillis(500));
        var d = s.delete("/api/v1/vms/cold1");
        assertThat(d.status()).isEqualTo(202);
        var again = s.post("/api/v1/vms/cold1/start", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.detail()).isEqualTo("vm cold1 is being deleted");
        s.awaitTask(d.json().path("id").asText());
        for (String h : new String[] {"h1", "h2"}) sim.delay(h, io.polyvisor.sim.Operation.UNDEFINE, Duration.ZERO);
        s.await("/api/v1/vms", j -> j.findValuesAsText("name").stream().noneMatch("cold1"::equals), Duration.ofSeconds(5));
    }
}
