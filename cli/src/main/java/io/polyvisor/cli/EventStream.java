package io.polyvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Follows {@code GET /api/v1/events/stream} (server-sent events). When the connection drops, or stays silent longer
 * than {@code idle} (the server sends a heartbeat comment every 15 s, so silence means a dead link), it reconnects
 * with {@code Last-Event-ID} set to the last sequence number seen, so no event is lost or repeated; the wait between
 * attempts doubles from {@code retry} up to 5 s. A server that cannot be reached on the first attempt, or that
 * answers with an HTTP error, ends the stream with {@link ServerUnreachable} / {@link ApiError}.
 */
final class EventStream {
    static final Duration IDLE = Duration.ofSeconds(45);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final ApiClient client;
    private final PrintStream err;
    private final Duration retry;
    private final Duration idle;
    private final AtomicInteger connects = new AtomicInteger();
    private long lastSeq;

    EventStream(ApiClient client, PrintStream err, Duration retry, Duration idle) {
        this.client = client;
        this.err = err;
        this.retry = retry;
        this.idle = idle;
    }

    /** Passes each event after {@code after} to {@code sink} until it returns false. */
    void follow(long after, Predicate<JsonNode> sink) {
        lastSeq = after;
        var pause = retry;
        while (true) {
            try {
                if (stream(sink)) return;
                pause = retry; // the server ended the stream cleanly: reconnect promptly
            } catch (IOException e) {
                if (connects.get() == 0) throw new ServerUnreachable(client.base(), e);
                err.println("polyvisor: event stream lost (" + ServerUnreachable.describe(e) + "), reconnecting after event " + lastSeq);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
        }
    }

    /** What the connection reports to the reading thread. */
    private sealed interface Signal {
        record Line(String text) implements Signal {}

        record End(HttpResponse<String> response, Throwable error) implements Signal {}
    }

    /** One connection; true when the sink asked to stop, false when the server ended the stream. */
    private boolean stream(Predicate<JsonNode> sink) throws IOException, InterruptedException {
        var req = client.streamRequest("/api/v1/events/stream?after=" + lastSeq);
        if (connects.get() > 0) req.header("Last-Event-ID", Long.toString(lastSeq));
        var signals = new LinkedBlockingQueue<Signal>();
        var lines = new Lines(signals);
        var future = client.http().sendAsync(req.GET().build(), info -> {
            if (info.statusCode() != 200) return BodySubscribers.ofString(StandardCharsets.UTF_8);
            connects.incrementAndGet();
            return BodySubscribers.fromLineSubscriber(lines, l -> "", StandardCharsets.UTF_8, null);
        });
        future.whenComplete((r, e) -> signals.add(new Signal.End(r, e)));
        try {
            var parser = new SseParser();
            while (true) {
                var signal = signals.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
                if (signal == null) throw new IOException("nothing received for " + idle.toMillis() + " ms");
                switch (signal) {
                    case Signal.Line l -> {
                        var event = parser.line(l.text());
                        if (event == null) continue;
                        if (event.id() != null) lastSeq = Long.parseLong(event.id());
                        var json = ApiClient.parse(event.data());
                        if (json != null && !sink.test(json)) return true;
                    }
                    case Signal.End end -> {
                        if (end.error() != null) {
                            var cause = end.error() instanceof CompletionException c && c.getCause() != null ? c.getCause() : end.error();
                            throw cause instanceof IOException io ? io : new IOException(cause);
                        }
                        var r = end.response();
                        if (r.statusCode() != 200) throw ApiError.from(r.statusCode(), ApiClient.parse(r.body()), r.body());
                        return false;
                    }
                }
            }
        } finally {
            lines.cancel(); // closes the connection if it is still open
        }
    }

    /** Queues each line of the body for the reading thread; cancellable from it. */
    private static final class Lines implements Flow.Subscriber<String> {
        private final BlockingQueue<Signal> signals;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        Lines(BlockingQueue<Signal> signals) {
            this.signals = signals;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            signals.add(new Signal.Line(line));
        }

        @Override
        public void onError(Throwable t) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // reported through the response future
        }

        void cancel() {
            cancelled = true;
            var s = subscription;
            if (s != null) s.cancel();
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
