package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Follows {@code GET /api/v1/events/stream} (server-sent events). When the connection drops it reconnects with
 * {@code Last-Event-ID} set to the last sequence number seen, so no event is lost or repeated; the wait between
 * attempts doubles from {@code retry} up to 5 s. A server that cannot be reached on the first attempt, or that
 * answers with an HTTP error, ends the stream with {@link ServerUnreachable} / {@link ApiError}.
 */
final class EventStream {
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final ApiClient client;
    private final PrintStream err;
    private final Duration retry;
    private long lastSeq;
    private int connects;

    EventStream(ApiClient client, PrintStream err, Duration retry) {
        this.client = client;
        this.err = err;
        this.retry = retry;
    }

    /** Passes each event after {@code after} to {@code sink} until it returns false. */
    void follow(long after, Predicate<JsonNode> sink) {
        lastSeq = after;
        var pause = retry;
        while (true) {
            try {
                if (stream(sink)) return;
                pause = retry;  // a clean end of stream: the server closed it; reconnect promptly
            } catch (IOException e) {
                if (connects == 0) throw new ServerUnreachable(client.base(), e);
                err.println("polyvisor: event stream lost (" + e.getClass().getSimpleName() + "), reconnecting after event " + lastSeq);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
        }
    }

    /** One connection; true when the sink asked to stop, false when the server ended the stream. */
    private boolean stream(Predicate<JsonNode> sink) throws IOException, InterruptedException {
        var req = client.streamRequest("/api/v1/events/stream?after=" + lastSeq);
        if (connects > 0) req.header("Last-Event-ID", Long.toString(lastSeq));
        var response = client.http().send(req.GET().build(), HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            if (response.statusCode() != 200) {
                var body = String.join("\n", lines.toList());
                throw ApiError.from(response.statusCode(), ApiClient.parse(body), body);
            }
            connects++;
            var parser = new SseParser();
            var it = lines.iterator();
            while (it.hasNext()) {
                var event = parser.line(it.next());
                if (event == null) continue;
                if (event.id() != null) lastSeq = Long.parseLong(event.id());
                var json = ApiClient.parse(event.data());
                if (json != null && !sink.test(json)) return true;
            }
            return false;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
