package io.polyvisor.history;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The history routes on a real server with a simulated host: samples appear as the host monitor measures. */
class HistoryRoutesTest {
    @TempDir
    static Path data;
    static TestServer s;

    @BeforeAll
    static void start() {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=16G\"}").status())
                .isEqualTo(201);
        assertThat(s.post("/api/v1/projects", "{\"name\":\"red\"}").status()).isEqualTo(201);
        assertThat(s.post("/api/v1/vms", "{\"name\":\"web1\",\"memory\":\"256M\"}").status()).isEqualTo(202);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    @Test
    void aHostsHistoryHoldsItsMeasuredUsageAtTenSecondSteps() {
        var h = s.await("/api/v1/hosts/h1/history", j -> j.path("samples").size() > 0
                && j.path("samples").get(j.path("samples").size() - 1).path("memory_bytes").asLong() > 0, Duration.ofSeconds(20));
        assertThat(h.path("name").asText()).isEqualTo("h1");
        assertThat(h.path("step_seconds").asInt()).isEqualTo(10);
        var last = h.path("samples").get(h.path("samples").size() - 1);
        assertThat(Instant.parse(last.path("at").asText()).getEpochSecond() % 10).isZero();
        assertThat(Instant.parse(last.path("at").asText())).isBetween(Instant.now().minusSeconds(20), Instant.now());
        assertThat(last.path("cpu_cores").isNumber()).isTrue();
    }

    @Test
    void aVmsHistoryIsServedToWhoeverSeesItsProject() {
        s.await("/api/v1/vms/web1/history", j -> j.path("samples").size() > 0
                && j.path("samples").get(j.path("samples").size() - 1).path("memory_bytes").asLong() > 0, Duration.ofSeconds(20));
        String token = s.post("/api/v1/users", "{\"name\":\"ron\",\"role\":\"viewer\",\"projects\":[\"red\"]}").json().path("token").asText();
        var other = s.send(HttpRequest.newBuilder(java.net.URI.create(s.server.url() + "/api/v1/vms/web1/history"))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.detail()).isEqualTo("vm web1 not found");
        var hosts = s.send(HttpRequest.newBuilder(java.net.URI.create(s.server.url() + "/api/v1/hosts/h1/history"))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(hosts.status()).isEqualTo(403);
    }

    @Test
    void unknownNamesAreNotFound() {
        assertThat(s.get("/api/v1/hosts/nope/history").detail()).isEqualTo("host nope not found");
        assertThat(s.get("/api/v1/vms/nope/history").status()).isEqualTo(404);
    }
}
