package io.polyvisor.cli;

import io.polyvisor.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code polyvisor retention show|set|prune} against a real server: the settings round-trip, a bad value says why. */
class RetentionCliTest {
    @TempDir
    Path data;

    @Test
    void showSetAndPruneThroughTheCli() {
        try (var s = TestServer.start(data, 0)) {
            var shown = ServerCli.run(s.server, "retention", "show");
            assertThat(shown.exit()).as(shown.err()).isZero();
            assertThat(shown.out()).contains("events", "168", "1000000", "finished tasks", "100000");

            var set = ServerCli.run(s.server, "retention", "set", "--events-max-count", "5000", "--tasks-max-age-hours", "24", "-o", "json");
            assertThat(set.exit()).as(set.err()).isZero();
            assertThat(set.out()).contains("\"events_max_count\" : 5000", "\"tasks_max_age_hours\" : 24", "\"events_max_age_hours\" : 168");
            assertThat(s.get("/api/v1/retention").json().path("events_max_count").asLong()).isEqualTo(5000);

            var bad = ServerCli.run(s.server, "retention", "set", "--events-max-count", "10");
            assertThat(bad.exit()).isNotZero();
            assertThat(bad.err()).contains("events_max_count must be between 1000 and 100000000, got 10");
            assertThat(s.get("/api/v1/retention").json().path("events_max_count").asLong()).as("nothing changed").isEqualTo(5000);

            var pruned = ServerCli.run(s.server, "retention", "prune");
            assertThat(pruned.exit()).as(pruned.err()).isZero();
            assertThat(pruned.out()).contains("EVENTS REMOVED", "TASKS REMOVED");
        }
    }
}
