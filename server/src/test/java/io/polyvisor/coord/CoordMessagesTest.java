package io.polyvisor.coord;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages between a group's members: publish, a long-poll subscribe that wakes on the next message, topic limits. */
class CoordMessagesTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void membersPublishAndASubscriberWaitingAfterItsLastSeqGetsTheNextMessage() throws Exception {
        s = TestServer.start(data, 0);
        var h = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}");
        assertThat(h.status()).as(h.text()).isEqualTo(201);
        String a = member("db1", "db"), b = member("db2", "db"), other = member("web1", "web");

        var sent = send(a, "/v1/messages/config", "{\"body\":\"reload \\\"now\\\" ünï\"}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        assertThat(sent.json().path("seq").asLong()).isEqualTo(1);
        assertThat(sent.json().path("from").asText()).isEqualTo("db1");

        var read = get(b, "/v1/messages/config?after=0");
        assertThat(read.json().path("messages").get(0).path("body").asText()).isEqualTo("reload \"now\" ünï");
        assertThat(read.json().path("last_seq").asLong()).isEqualTo(1);
        assertThat(get(other, "/v1/messages/config?after=0").json().path("messages")).as("another group's topic of the same name").isEmpty();

        var waiting = CompletableFuture.supplyAsync(() -> get(b, "/v1/messages/config?after=1&wait=30"));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        var op = s.post("/api/v1/coord/db/messages/config", "{\"body\":\"from the operator\"}");
        assertThat(op.status()).as(op.text()).isEqualTo(201);
        var woke = waiting.get(20, TimeUnit.SECONDS);
        assertThat(woke.json().path("messages").get(0).path("seq").asLong()).isEqualTo(2);
        assertThat(woke.json().path("messages").get(0).path("from").isMissingNode() || woke.json().path("messages").get(0).path("from").isNull())
                .as("an operator's message has no sender VM").isTrue();
        assertThat(s.get("/api/v1/coord/db/messages/config?after=0&limit=1").json().path("messages")).hasSize(1);

        long t0 = System.nanoTime();
        assertThat(get(b, "/v1/messages/config?after=2&wait=1").json().path("messages")).isEmpty();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));

        var big = send(a, "/v1/messages/config", "{\"body\":\"" + "x".repeat(8 * 1024 + 1) + "\"}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.detail()).isEqualTo("body must be at most 8192 bytes of UTF-8, got 8193");
        var badTopic = send(a, "/v1/messages/..", "{\"body\":\"x\"}");
        assertThat(badTopic.status()).isIn(400, 404);
        assertThat(get(a, "/v1/messages/config?limit=0").detail()).isEqualTo("limit must be between 1 and 100, got 0");
        assertThat(get(a, "/v1/messages/config?after=0").json().path("last_seq").asLong()).as("refused messages were not kept").isEqualTo(2);
    }

    String member(String name, String group) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"labels\":{\"group\":\"" + group + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return s.post("/api/v1/vms/" + name + "/coord-token", "").json().path("token").asText();
    }

    TestServer.Response get(String token, String path) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    TestServer.Response send(String token, String path, String body) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
