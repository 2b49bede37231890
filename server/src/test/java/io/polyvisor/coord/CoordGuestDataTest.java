package io.polyvisor.coord;

import com.fasterxml.jackson.databind.JsonNode;
import io.polyvisor.server.TestServer;
import io.polyvisor.sim.SimDatacenter;
import io.polyvisor.spi.GuestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A group member's instance gets its coordination URL and token through the driver's guest data channel (the
 * simulator keeps what each instance was defined with): the token works, survives stop/start and live migration,
 * and a new instance elsewhere gets a new one that revokes the old.
 */
class CoordGuestDataTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void aGroupMembersInstanceReadsAWorkingTokenThatLastsUntilAnotherInstanceReplacesIt() {
        s = TestServer.start(data, 0);
        String dc = TestServer.uniqueDatacenter();
        for (String h : new String[]{"h1", "h2", "h3"}) {
            var r = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + dc + "/" + h + "?cpus=8&memory=4G\",\"name\":\"" + h + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
        JsonNode db1 = create("db1", "{\"group\":\"db\"}", ",\"protection\":\"restart\"");
        JsonNode plain = create("web1", "{}", "");
        var sim = SimDatacenter.named(dc);

        GuestData given = sim.guestData(db1.path("host").asText(), id(db1)).orElseThrow();
        assertThat(given.entries()).containsOnlyKeys("coord-url", "coord-token");
        assertThat(given.entries().get("coord-url")).isEqualTo("http://10.0.2.2:" + s.server.url().getPort());
        String token = given.entries().get("coord-token");
        assertThat(self(token).path("name").asText()).isEqualTo("db1");
        assertThat(sim.guestData(plain.path("host").asText(), id(plain)).orElseThrow().isEmpty())
                .as("a VM in no group gets no credentials").isTrue();
        assertThat(s.get("/api/v1/events?limit=500").text()).doesNotContain(token);

        // stop and start on the same host: the instance is the same, so is its token
        act("db1", "stop");
        act("db1", "start");
        assertThat(sim.guestData(host("db1"), id(db1)).orElseThrow().entries().get("coord-token")).isEqualTo(token);
        assertThat(self(token).path("name").asText()).isEqualTo("db1");

        // live migration moves the instance with what it holds
        String from = host("db1");
        String to = from.equals("h3") ? "h2" : "h3";
        var moved = s.post("/api/v1/vms/db1/migrate", "{\"to\":\"" + to + "\"}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(202);
        s.awaitTask(moved.json().path("task").path("id").asText(moved.json().path("id").asText()));
        assertThat(host("db1")).isEqualTo(to);
        assertThat(sim.guestData(to, id(db1)).orElseThrow().entries().get("coord-token")).isEqualTo(token);
        assertThat(self(token).path("name").asText()).isEqualTo("db1");

        // the host dies; HA restarts db1 elsewhere: a new instance, a new token, the old one refused
        sim.crashHost(to);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var vm = s.get("/api/v1/vms/db1").json();
            return vm.path("state").asText().equals("running") && !vm.path("host").asText().equals(to);
        });
        String fresh = sim.guestData(host("db1"), id(db1)).orElseThrow().entries().get("coord-token");
        assertThat(fresh).isNotEqualTo(token).hasSize(64);
        assertThat(self(fresh).path("name").asText()).isEqualTo("db1");
        assertThat(guestGet(token, "/v1/self").status()).isEqualTo(401);
    }

    JsonNode create(String name, String labels, String extra) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"labels\":" + labels + extra + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return s.get("/api/v1/vms/" + name).json();
    }

    void act(String vm, String action) {
        var r = s.post("/api/v1/vms/" + vm + "/" + action, "");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText(r.json().path("id").asText()));
    }

    String host(String vm) {
        return s.get("/api/v1/vms/" + vm).json().path("host").asText();
    }

    static UUID id(JsonNode vm) {
        return UUID.fromString(vm.path("id").asText());
    }

    JsonNode self(String token) {
        var r = guestGet(token, "/v1/self");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    TestServer.Response guestGet(String token, String path) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build());
    }
}
