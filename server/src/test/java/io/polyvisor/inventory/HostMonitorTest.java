package io.polyvisor.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.server.Wiring;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.sim.SimDriver;
import io.polyvisor.spi.DriverRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the host monitor observes and records when things happen outside Polyvisor. */
class HostMonitorTest {
    @TempDir
    Path data;

    private static UUID createOn(TestServer s, String name, String host) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"host\":\"" + host + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return UUID.fromString(r.json().path("vm").path("id").asText());
    }

    @Test
    void vmKilledOutsidePolyvisorIsFailedWithinASecond() {
        String dc = TestServer.uniqueDatacenter();
        try (var s = TestServer.start(data, 0)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}");
            UUID id = createOn(s, "victim", "h1");
            // wait until the monitor has subscribed to h1's events (its first probe round)
            s.await("/api/v1/hosts/h1", h -> h.path("usage").isObject(), Duration.ofSeconds(5));
            long t0 = System.nanoTime();
            SimDatacenter.named(dc).vmCrash(id);
            JsonNode vm = s.await("/api/v1/vms/victim", v -> v.path("state").asText().equals("failed"), Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(vm.path("state_detail").asText()).isEqualTo("crashed on host h1");
            assertThat(s.get("/api/v1/events?limit=1000").json()).anySatisfy(e -> {
                assertThat(e.path("type").asText()).isEqualTo("vm.state");
                assertThat(e.path("message").asText()).isEqualTo("victim is failed: crashed on host h1");
            });
            // a failed VM can be started again
            var start = s.post("/api/v1/vms/victim/start", "");
            assertThat(start.status()).isEqualTo(202);
            s.awaitTask(start.json().path("id").asText());
            assertThat(SimDatacenter.named(dc).runningOn(id)).containsExactly("h1");
        }
    }

    @Test
    void driverWithoutEventsIsReconciledByPolling() {
        String dc = TestServer.uniqueDatacenter();
        var drivers = new DriverRegistry(List.of(new SimDriver(), new PollingOnlyDriver()));
        try (var s = TestServer.start(data, 0, new Wiring(null, drivers, null))) {
            s.post("/api/v1/hosts", "{\"uri\":\"simpoll://" + dc + "/h1\"}");
            UUID id = createOn(s, "polled", "h1");
            try (var c = SimDatacenter.named(dc).connect("h1")) {
                c.compute().destroy(id); // powered off behind Polyvisor's back
            }
            JsonNode vm = s.await("/api/v1/vms/polled", v -> v.path("state").asText().equals("failed"), Duration.ofSeconds(3));
            assertThat(vm.path("state_detail").asText()).isEqualTo("stopped outside Polyvisor on host h1");
        }
    }

    @Test
    void partitionedHostIsDisconnectedWithItsVmsUnknownThenRecovers() {
        String dc = TestServer.uniqueDatacenter();
        SimDatacenter sim = SimDatacenter.named(dc);
        try (var s = TestServer.start(data, 0)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}");
            createOn(s, "cut1", "h1");
            sim.partition("h1");
            s.await("/api/v1/hosts/h1", h -> h.path("state").asText().equals("disconnected"), Duration.ofSeconds(3));
            JsonNode vm = s.await("/api/v1/vms/cut1", v -> v.path("state").asText().equals("unknown"), Duration.ofSeconds(3));
            assertThat(vm.path("state_detail").asText()).isEqualTo("host h1 is unreachable");
            sim.heal("h1");
            s.await("/api/v1/hosts/h1", h -> h.path("state").asText().equals("connected"), Duration.ofSeconds(3));
            s.await("/api/v1/vms/cut1", v -> v.path("state").asText().equals("running"), Duration.ofSeconds(3));
            assertThat(s.get("/api/v1/events?limit=1000").json()).extracting(e -> e.path("type").asText() + " " + e.path("message").asText())
                    .containsSubsequence("host.state host h1 did not answer", "vm.state cut1 is unknown: host h1 is unreachable",
                            "host.state host h1 is connected again", "vm.state cut1 is running on host h1");
        }
    }

    @Test
    void crashedHostComesBackEmptyAndItsVmsAreFailed() {
        String dc = TestServer.uniqueDatacenter();
        SimDatacenter sim = SimDatacenter.named(dc);
        try (var s = TestServer.start(data, 0)) {
            s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/h1\"}");
            createOn(s, "lost1", "h1");
            sim.crashHost("h1");
            s.await("/api/v1/vms/lost1", v -> v.path("state").asText().equals("unknown"), Duration.ofSeconds(3));
            sim.recover("h1");
            JsonNode vm = s.await("/api/v1/vms/lost1", v -> v.path("state").asText().equals("failed"), Duration.ofSeconds(3));
            assertThat(vm.path("state_detail").asText()).isEqualTo("vm vanished from host h1");
        }
    }
}
