package io.polyvisor.retention;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention through the API: settings with exact errors, a pass on demand, 410 for a resume point retention removed. */
class RetentionApiTest {
    @TempDir
    Path data;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void settingsAreValidatedAndAPassKeepsOnlyTheNewestEvents() throws Exception {
        s = TestServer.start(data, 0);
        var shown = s.get("/api/v1/retention").json();
        assertThat(shown.path("events_max_count").asLong()).isEqualTo(1_000_000);
        assertThat(shown.path("tasks_max_age_hours").asInt()).isEqualTo(168);

        var tooFew = s.post("/api/v1/retention", "{\"events_max_count\":10}");
        assertThat(tooFew.status()).isEqualTo(400);
        assertThat(tooFew.contentType()).startsWith("application/problem+json");
        assertThat(tooFew.detail()).contains("events_max_count").contains("1000");
        assertThat(s.post("/api/v1/retention", "{\"colour\":\"red\"}").status()).isEqualTo(400);
        assertThat(s.get("/api/v1/retention").json().path("events_max_count").asLong()).as("a refused change changes nothing").isEqualTo(1_000_000);

        s.server.store().inTransaction(tx -> {
            for (int i = 0; i < 1_500; i++) tx.appendEvent("test.event", "e" + i, "event " + i);
            return null;
        });
        long last = lastSeq();
        var set = s.post("/api/v1/retention", "{\"events_max_count\":1000}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().path("events_max_count").asLong()).isEqualTo(1000);
        var pass = s.post("/api/v1/retention/prune", "");
        assertThat(pass.status()).as(pass.text()).isEqualTo(200);
        long through = pass.json().path("events_pruned_through").asLong();
        assertThat(through).isGreaterThanOrEqualTo(last - 1000);
        assertThat(pass.json().path("events").asLong()).isGreaterThanOrEqualTo(500);

        // a listing from the start begins at the oldest event kept; a resume point before it is 410, never a silent gap
        assertThat(s.get("/api/v1/events?limit=1").json().get(0).path("seq").asLong()).isEqualTo(through + 1);
        var gone = s.get("/api/v1/events?after=5");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.contentType()).startsWith("application/problem+json");
        assertThat(gone.detail()).isEqualTo("events up to seq " + through + " were removed by retention, so the events after seq 5"
                + " cannot all be given; list the current state again and resume after seq " + through + " or later");
        assertThat(s.get("/api/v1/events?after=" + through).status()).isEqualTo(200);

        var http = HttpClient.newHttpClient();
        var resumed = http.send(stream().header("Last-Event-ID", "5").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(410);
        var fresh = http.send(stream().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(fresh.statusCode()).isEqualTo(200);
        try (var in = new BufferedReader(new InputStreamReader(fresh.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("id: ")) {
                // comments and blank lines before the first event
            }
            assertThat(line).as("a stream with no resume point starts at the oldest event kept").isEqualTo("id: " + (through + 1));
        }
        assertThat(s.get("/api/v1/events?after=" + (lastSeq() - 1)).text()).contains("retention.pruned", "retention removed");
    }

    long lastSeq() {
        var page = s.get("/api/v1/events?limit=1000&after=" + s.server.store().eventsPrunedThrough()).json();
        long last = 0;
        while (page.size() > 0) {
            last = page.get(page.size() - 1).path("seq").asLong();
            page = s.get("/api/v1/events?limit=1000&after=" + last).json();
        }
        return last;
    }

    HttpRequest.Builder stream() {
        return HttpRequest.newBuilder(URI.create(s.server.url() + "/api/v1/events/stream")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + s.server.token());
    }
}
