package io.polyvisor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A client of the server-sent event stream, as an operator's dashboard would be: it resumes after the last seq
 * it saw ({@code Last-Event-ID}) and records every event's content by seq. After a crash the server must still
 * hold each of them with the same content, or a client resuming would silently skip what it never saw.
 */
final class EventRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** seq to the event's JSON as the stream delivered it, over every stream this recorder followed. */
    final Map<Long, JsonNode> seen = new ConcurrentSkipListMap<>();
    private final HttpClient http;
    private Thread thread;

    EventRecorder(HttpClient http) {
        this.http = http;
    }

    long lastSeen() {
        return seen.isEmpty() ? 0 : ((ConcurrentSkipListMap<Long, JsonNode>) seen).lastKey();
    }

    /** Follows {@code server}'s stream from the last seq seen until the server dies. */
    void follow(ServerProcess server) {
        long after = lastSeen();
        thread = Thread.ofPlatform().name("crash-events").start(() -> {
            try {
                var r = http.send(server.request("/api/v1/events/stream").timeout(java.time.Duration.ofDays(1))
                        .header("Last-Event-ID", String.valueOf(after)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) throw new AssertionError("event stream answered " + r.statusCode());
                read(r.body());
            } catch (IOException serverGone) {
                // the stream ends with the server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void read(InputStream body) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            long id = -1;
            String data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("id: ")) id = Long.parseLong(line.substring(4));
                else if (line.startsWith("data: ")) data = line.substring(6);
                else if (line.isEmpty() && data != null) {
                    JsonNode event = JSON.readTree(data);
                    JsonNode before = seen.putIfAbsent(id, event);
                    if (before != null && !before.equals(event)) {
                        throw new AssertionError("the stream sent seq " + id + " twice: " + before + " then " + event);
                    }
                    data = null;
                }
            }
        }
    }

    /** Waits for the stream to end (its server died). */
    void awaitEnd() throws InterruptedException {
        thread.join(30_000);
        if (thread.isAlive()) throw new AssertionError("the event stream did not end with its server");
    }
}
