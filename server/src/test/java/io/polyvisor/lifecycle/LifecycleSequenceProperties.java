package io.polyvisor.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.spi.DomainInfo;
import io.polyvisor.spi.PowerState;
import io.polyvisor.testing.Gen;
import io.polyvisor.testing.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of user operations on one VM through the REST API: each is accepted (202, and its task
 * succeeds) or refused (409 with a reason), never a 5xx; after every step the VM is defined on exactly one
 * host, runs on at most one, and the state Polyvisor reports is the power state the host reports.
 */
class LifecycleSequenceProperties {
    private static final List<String> OPS = List.of("start", "stop", "stop-force", "reboot", "suspend", "resume", "migrate");
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static TestServer s;
    private static String dc;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(Files.createTempDirectory("seq"), 0);
        dc = TestServer.uniqueDatacenter();
        for (String h : new String[] {"h1", "h2", "h3"}) {
            assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "\"}").status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** 1 to 8 operations; a failing sequence shrinks to fewer, simpler ones. */
    static final Gen<List<String>> SEQUENCES = Gen.elements(OPS).list(1, 8);

    @Test
    void everyStepEndsConsistentAndTheVmIsNeverDuplicated() {
        // each run creates a VM and waits for every task, so shrinking gets a smaller budget than the default
        Property.forAll(SEQUENCES).tries(25).shrinkLimit(60).check(ops -> {
            String name = "seq" + NEXT.incrementAndGet();
            var created = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\"}");
            assertThat(created.status()).isEqualTo(202);
            UUID id = UUID.fromString(created.json().path("vm").path("id").asText());
            s.awaitTask(created.json().path("task").path("id").asText());
            List<String> log = new ArrayList<>();
            for (String op : ops) {
                JsonNode before = s.get("/api/v1/vms/" + name).json();
                var r = switch (op) {
                    case "stop-force" -> s.post("/api/v1/vms/" + name + "/stop", "{\"force\":true}");
                    case "migrate" -> s.post("/api/v1/vms/" + name + "/migrate",
                            "{\"to\":\"" + (before.path("host").asText().equals("h1") ? "h2" : "h1") + "\"}");
                    default -> s.post("/api/v1/vms/" + name + "/" + op, "");
                };
                log.add(op + "@" + before.path("state").asText() + "->" + r.status());
                assertThat(r.status()).as(log + " " + r.text()).isIn(202, 409);
                // the cases with one right answer, from the lifecycle's rules rather than the server's
                String state = before.path("state").asText();
                Integer must = switch (op) {
                    case "start" -> expected(state, "stopped", "running");
                    case "stop", "suspend", "migrate" -> expected(state, "running", "stopped");
                    case "resume" -> expected(state, "paused", "running");
                    default -> null;
                };
                if (must != null) assertThat(r.status()).as(log + " " + r.text()).isEqualTo(must);
                if (r.status() == 202) ACCEPTED.computeIfAbsent(op, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                if (r.status() == 202) s.awaitTask(r.json().path("id").asText());
                else assertThat(r.detail()).as(log.toString()).startsWith("vm " + name + " is ");
                assertConsistent(name, id, log);
            }
            var d = s.delete("/api/v1/vms/" + name);
            s.awaitTask(d.json().path("id").asText());
            assertThat(definitions(id)).as(log.toString()).isEmpty();
        });
        System.out.println("lifecycle sequences: operations accepted, by kind: " + ACCEPTED);
    }

    /** A server that refused everything would pass the property; this walk needs every operation carried out. */
    @Test
    void everyOperationIsCarriedOutFromAStateThatAllowsIt() {
        var created = s.post("/api/v1/vms", "{\"name\":\"walk\",\"memory\":\"64M\"}");
        assertThat(created.status()).isEqualTo(202);
        s.awaitTask(created.json().path("task").path("id").asText());
        for (String op : List.of("stop", "start", "suspend", "resume", "reboot", "migrate", "stop-force", "start")) {
            String host = s.get("/api/v1/vms/walk").json().path("host").asText();
            var r = switch (op) {
                case "stop-force" -> s.post("/api/v1/vms/walk/stop", "{\"force\":true}");
                case "migrate" -> s.post("/api/v1/vms/walk/migrate", "{\"to\":\"" + (host.equals("h1") ? "h2" : "h1") + "\"}");
                default -> s.post("/api/v1/vms/walk/" + op, "");
            };
            assertThat(r.status()).as(op + ": " + r.text()).isEqualTo(202);
            assertThat(s.awaitTask(r.json().path("id").asText()).path("status").asText()).as(op).isEqualTo("succeeded");
        }
        assertThat(s.get("/api/v1/vms/walk").json().path("state").asText()).isEqualTo("running");
    }

    /** 202 in state {@code accepts}, 409 in state {@code refuses}, no single answer otherwise (null). */
    private static Integer expected(String state, String accepts, String refuses) {
        if (state.equals(accepts)) return 202;
        if (state.equals(refuses)) return 409;
        return null;
    }

    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> ACCEPTED = new java.util.concurrent.ConcurrentHashMap<>();

    private static void assertConsistent(String name, UUID id, List<String> log) {
        JsonNode vm = s.get("/api/v1/vms/" + name).json();
        List<String> where = definitions(id).stream().map(DomainInfo::name).toList();
        assertThat(definitionsHosts(id)).as("defined on exactly one host: " + log).hasSize(1).containsExactly(vm.path("host").asText());
        assertThat(SimDatacenter.named(dc).runningOn(id).size()).as(log.toString()).isLessThanOrEqualTo(1);
        PowerState power = definitions(id).getFirst().state();
        String expected = switch (power) {
            case RUNNING -> "running";
            case PAUSED -> "paused";
            case SHUTOFF -> "stopped";
            case CRASHED -> "failed";
        };
        assertThat(vm.path("state").asText()).as(log + " " + where).isEqualTo(expected);
    }

    private static List<DomainInfo> definitions(UUID id) {
        List<DomainInfo> out = new ArrayList<>();
        var sim = SimDatacenter.named(dc);
        for (String h : sim.hosts()) {
            try (var c = sim.connect(h)) {
                Optional<DomainInfo> d = c.compute().lookup(id);
                d.ifPresent(out::add);
            }
        }
        return out;
    }

    private static List<String> definitionsHosts(UUID id) {
        List<String> out = new ArrayList<>();
        var sim = SimDatacenter.named(dc);
        for (String h : sim.hosts()) {
            try (var c = sim.connect(h)) {
                if (c.compute().lookup(id).isPresent()) out.add(h);
            }
        }
        return out;
    }
}
