package io.polyvisor.coord;

import io.polyvisor.coordination.RateLimit;
import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** A guest flooding the guest API gets 429 with Retry-After; another guest of the same server is not held back. */
class CoordRateLimitTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    String vm(String name) {
        var r = s.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"memory\":\"64M\",\"labels\":{\"group\":\"db\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        s.awaitTask(r.json().path("task").path("id").asText());
        return s.post("/api/v1/vms/" + name + "/coord-token", "").json().path("token").asText();
    }

    @Test
    void aFloodFromOneGuestIsRefusedWith429AndAnotherGuestIsServed() throws Exception {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}").status())
                .isEqualTo(201);
        String flood = vm("db1"), quiet = vm("db2");
        int requests = RateLimit.GUEST_DEFAULT.burst() * 4;
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient(); ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < requests; i++) sent.add(pool.submit(() -> self(http, flood)));
            List<Future<HttpResponse<String>>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) others.add(pool.submit(() -> self(http, quiet)));
            for (var f : sent) answers.add(f.get());
            for (var f : others) assertThat(f.get().statusCode()).as("the other guest's requests").isEqualTo(200);

            var refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
            assertThat(answers).allMatch(a -> a.statusCode() == 200 || a.statusCode() == 429);
            assertThat(refused).as("%d requests at once, bucket of %d", requests, RateLimit.GUEST_DEFAULT.burst()).isNotEmpty();
            assertThat(answers.stream().filter(a -> a.statusCode() == 200).count()).isGreaterThanOrEqualTo(RateLimit.GUEST_DEFAULT.burst());
            var one = refused.getFirst();
            assertThat(one.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c).startsWith("application/problem+json"));
            assertThat(one.body()).contains("\"status\":429", "\"type\":\"/problems/too-many-requests\"",
                    "VM db1 is over its guest API rate limit (50 requests a second, bursts of 100); retry after 1 s");
            long retry = Long.parseLong(one.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retry).isEqualTo(1);
            Thread.sleep(Duration.ofSeconds(retry).toMillis() + 100);
            assertThat(self(http, flood).statusCode()).as("served again after Retry-After").isEqualTo(200);
        }
    }

    @Test
    void anAdminSetsTheLimitAndItHoldsFromTheNextRequestThroughARestart() throws Exception {
        s = TestServer.start(data, 0);
        assertThat(s.post("/api/v1/hosts", "{\"uri\":\"sim://" + TestServer.uniqueDatacenter() + "/h1?cpus=8&memory=4G\",\"name\":\"h1\"}").status())
                .isEqualTo(201);
        String token = vm("db1");
        assertThat(s.get("/api/v1/coord/settings").json().path("burst").asInt()).isEqualTo(RateLimit.GUEST_DEFAULT.burst());
        var bad = s.send(s.request("/api/v1/coord/settings").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"burst\":0}")).build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.detail()).isEqualTo("rate limit burst must be between 1 and 100000, got 0");
        var put = s.send(s.request("/api/v1/coord/settings").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"per_second\":1,\"burst\":3}")).build());
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().path("per_second").asDouble()).isEqualTo(1.0);
        try (HttpClient http = HttpClient.newHttpClient()) {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 5; i++) codes.add(self(http, token).statusCode());
            assertThat(codes).containsExactly(200, 200, 200, 429, 429);
        }
        s.close();
        s = TestServer.start(data, 0);
        assertThat(s.get("/api/v1/coord/settings").json().path("burst").asInt()).as("stored").isEqualTo(3);
        assertThat(s.get("/api/v1/events?limit=100").text()).contains("guest API rate limit per VM: 1.0 requests a second, bursts of 3");
    }

    HttpResponse<String> self(HttpClient http, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.server.url() + "/v1/self")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
