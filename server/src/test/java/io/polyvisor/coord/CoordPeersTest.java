package io.polyvisor.coord;

import com.fasterxml.jackson.databind.JsonNode;
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

/** The guest API's membership watch ({@code /v1/peers}) and metric push ({@code /v1/metrics}) on sim hosts. */
class CoordPeersTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void aMemberSeesItsGroupsMembersAndAWatchWakesOnlyWhenTheMembershipChanges() throws Exception {
        s = TestServer.start(data, 0);
        var h = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}");
        assertThat(h.status()).as(h.text()).isEqualTo(201);
        String a = member("app1", "app");
        member("app2", "app");
        member("other1", "other");

        JsonNode peers = peers(a, "/v1/peers");
        assertThat(peers.path("group").asText()).isEqualTo("app");
        assertThat(peers.path("peers").findValuesAsText("name")).containsExactly("app1", "app2");
        assertThat(peers.path("peers").get(0).path("host").asText()).isEqualTo("h1");
        assertThat(peers.path("peers").get(0).path("state").asText()).isEqualTo("running");
        String index = peers.path("index").asText();
        assertThat(index).matches("[0-9a-f]{16}");
        assertThat(s.get("/api/v1/coord/app/peers").json().path("index").asText()).as("the operator's view").isEqualTo(index);

        // nothing changes: the watch answers after its wait with the same index
        long t0 = System.nanoTime();
        assertThat(peers(a, "/v1/peers?wait=1&index=" + index).path("index").asText()).isEqualTo(index);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));

        // a change in another group does not wake it; a new member does
        var watch = CompletableFuture.supplyAsync(() -> guest(a, "/v1/peers?wait=30&index=" + index));
        member("other2", "other");
        Thread.sleep(500);
        assertThat(watch).isNotDone();
        member("app3", "app");
        var woke = watch.get(20, TimeUnit.SECONDS);
        assertThat(woke.status()).as(woke.text()).isEqualTo(200);
        assertThat(woke.json().path("peers").findValuesAsText("name")).contains("app1", "app2", "app3");
        assertThat(woke.json().path("index").asText()).isNotEqualTo(index);

        var bad = guest(a, "/v1/peers?wait=5");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.detail()).isEqualTo("index is required with wait");
        var badIndex = guest(a, "/v1/peers?wait=5&index=zz");
        assertThat(badIndex.detail()).isEqualTo("index must be a membership version (16 hex digits) from an earlier answer");
    }

    @Test
    void aMetricPushIsCheckedAndGoesToTheElasticGroupOfTheSameName() {
        s = TestServer.start(data, 0);
        var h = s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}");
        assertThat(h.status()).as(h.text()).isEqualTo(201);
        String a = member("app1", "app");

        var noGroup = post(a, "/v1/metrics", "{\"name\":\"queue\",\"value\":3}");
        assertThat(noGroup.status()).as(noGroup.text()).isEqualTo(404);
        assertThat(noGroup.contentType()).startsWith("application/problem+json");
        assertThat(noGroup.detail()).contains("group app");
        var badName = post(a, "/v1/metrics", "{\"name\":\"../q\",\"value\":3}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.detail()).isEqualTo("metric name must be 1 to 63 letters, digits or '_', starting with a letter");
        var noValue = post(a, "/v1/metrics", "{\"name\":\"queue\"}");
        assertThat(noValue.status()).isEqualTo(400);
        assertThat(post(null, "/v1/metrics", "{\"name\":\"queue\",\"value\":3}").status()).isEqualTo(401);
    }

    String member(String name, String group) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"labels\":{\"group\":\"" + group + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        var t = s.post("/api/v1/vms/" + name + "/coord-token", "");
        assertThat(t.status()).as(t.text()).isEqualTo(201);
        return t.json().path("token").asText();
    }

    JsonNode peers(String token, String path) {
        var r = guest(token, path);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    TestServer.Response guest(String token, String path) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    TestServer.Response post(String token, String path, String body) {
        var b = HttpRequest.newBuilder(URI.create(s.server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return s.send(b.build());
    }
}
