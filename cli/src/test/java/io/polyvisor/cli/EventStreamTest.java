package io.polyvisor.cli;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code events --follow} over a stream that the server drops mid-way. */
class EventStreamTest {
    private static String event(long seq, String type, String subject) {
        return "id: " + seq + "\nevent: " + type + "\ndata: {\"seq\":" + seq + ",\"at\":\"2026-01-01T00:00:0" + seq
                + "Z\",\"type\":\"" + type + "\",\"subject\":\"" + subject + "\",\"message\":\"step " + seq + "\"}\n\n";
    }

    private static void stream(HttpExchange ex, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        ex.getResponseBody().write(text.getBytes(StandardCharsets.UTF_8));
        ex.getResponseBody().flush();
    }

    @Test
    void reconnectsWithLastEventIdAndLosesNothing() throws Exception {
        var connects = new AtomicInteger();
        try (var api = new FakeApi(ex -> {
            if (ex.getRequestURI().getPath().equals("/api/v1/events")) {
                FakeApi.json(ex, 200, "[]");
            } else if (connects.incrementAndGet() == 1) {
                // two events and a heartbeat, then the connection drops
                stream(ex, event(5, "vm.created", "web1") + ": heartbeat\n\n" + event(6, "task.started", "web1"));
            } else {
                stream(ex, event(7, "vm.state", "web1"));
            }
        })) {
            var r = CliRun.of(Map.of(), "events", "--follow", "--after", "4", "--count", "3", "--url", api.url());
            assertThat(r.exit()).isZero();
            assertThat(r.out().lines()).containsExactly(
                    "SEQ     AT                           TYPE             SUBJECT       MESSAGE",
                    "5       2026-01-01T00:00:05Z         vm.created       web1          step 5",
                    "6       2026-01-01T00:00:06Z         task.started     web1          step 6",
                    "7       2026-01-01T00:00:07Z         vm.state         web1          step 7");
            assertThat(api.requests).noneMatch(q -> q.uri().startsWith("/api/v1/events?"));
            var streams = api.requests.stream().filter(q -> q.uri().startsWith("/api/v1/events/stream")).toList();
            assertThat(streams).hasSize(2);
            assertThat(streams.get(0).uri()).isEqualTo("/api/v1/events/stream?after=4");
            assertThat(streams.get(0).lastEventId()).isNull();
            assertThat(streams.get(1).uri()).isEqualTo("/api/v1/events/stream?after=6");
            assertThat(streams.get(1).lastEventId()).isEqualTo("6");
        }
    }

    @Test
    void aSilentConnectionIsAbandonedAndResumedAfterTheLastEvent() throws Exception {
        var connects = new AtomicInteger();
        try (var api = new FakeApi(ex -> {
            if (connects.incrementAndGet() == 1) {
                stream(ex, event(1, "vm.created", "web1"));
                sleepQuietly(5_000); // connection open, but no data and no heartbeat
            } else {
                stream(ex, event(2, "vm.state", "web1"));
            }
        })) {
            var seen = new java.util.ArrayList<Long>();
            var errors = new java.io.ByteArrayOutputStream();
            long t0 = System.nanoTime();
            new EventStream(new ApiClient(java.net.URI.create(api.url()), null), new java.io.PrintStream(errors, true),
                    // 1.5 s of silence: long enough that a loaded machine still answers the first request in time
                    java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(1_500))
                    .follow(0, e -> seen.add(e.get("seq").asLong()) && seen.size() < 2);
            assertThat(seen).containsExactly(1L, 2L);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the stall was noticed").isLessThan(4_000);
            assertThat(api.requests.get(1).lastEventId()).isEqualTo("1");
            assertThat(errors.toString()).contains("event stream lost (nothing received for 1500 ms), reconnecting after event 1");
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void jsonFollowPrintsOneEventPerLine() throws Exception {
        try (var api = new FakeApi(ex -> {
            if (ex.getRequestURI().getPath().equals("/api/v1/events")) FakeApi.json(ex, 200, "[]");
            else stream(ex, event(1, "host.added", "h1") + event(2, "host.state", "h1"));
        })) {
            var r = CliRun.of(Map.of(), "events", "-f", "--after", "0", "--count", "2", "-o", "json", "--url", api.url());
            assertThat(r.exit()).isZero();
            assertThat(r.out().lines()).hasSize(2).allSatisfy(l -> assertThat(Cli.JSON.readTree(l).get("subject").asText()).isEqualTo("h1"));
        }
    }

    @Test
    void unreachableServerEndsFollowWithExitThree() {
        var r = CliRun.of(Map.of(), "events", "--follow", "--url", "http://127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(Main.UNREACHABLE);
    }

    @Test
    void parserJoinsDataLinesAndSkipsCommentsAndDatalessEvents() {
        var p = new SseParser();
        assertThat(p.line(": hello")).isNull();
        assertThat(p.line("event: ping")).isNull();
        assertThat(p.line("")).isNull();
        assertThat(p.line("id: 9")).isNull();
        assertThat(p.line("data: a")).isNull();
        assertThat(p.line("data:b")).isNull();
        assertThat(p.line("")).isEqualTo(new SseParser.Event("9", "message", "a\nb"));
    }
}
