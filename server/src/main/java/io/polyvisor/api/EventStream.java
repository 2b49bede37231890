package io.polyvisor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Event;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GET /api/v1/events/stream: server-sent events. Each event is sent as {@code id: SEQ}, {@code event: TYPE},
 * {@code data: EVENT-JSON}. A client resumes after the last event it saw with {@code Last-Event-ID} (or
 * {@code ?after=SEQ}); with neither it gets the log from the start. A comment is sent every 15 s of quiet
 * so proxies keep the connection open. Events come from the store, so nothing is lost between a
 * client's reconnects, and a stream sees events of other servers sharing the database (at the next poll).
 */
final class EventStream implements AutoCloseable {
    private static final int PAGE = 500;
    private static final long HEARTBEAT_MS = 15_000;
    private static final long POLL_MS = 1_000;

    private final Store store;
    private final Journal journal;
    private final ObjectMapper mapper;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventStream(Store store, Journal journal, ObjectMapper mapper) {
        this.store = store;
        this.journal = journal;
        this.mapper = mapper;
    }

    Route route() {
        var sse = new SseHandler(this::serve);
        return Route.get("/api/v1/events/stream", "Stream events (text/event-stream); resumes after Last-Event-ID",
                "EventStream", ctx -> {
                    // validated before the stream's headers go out, so a bad value still gets a 400 problem
                    String resume = ctx.header("Last-Event-ID");
                    long after = resume != null && !resume.isBlank() ? seq("Last-Event-ID", resume)
                            : ctx.queryParam("after") != null ? seq("after", ctx.queryParam("after")) : 0;
                    ctx.attribute("after", after);
                    sse.handle(ctx);
                }, "after:start after this seq (Last-Event-ID wins)");
    }

    private void serve(SseClient client) {
        long after = client.ctx().attribute("after");
        client.keepAlive();
        clients.add(client);
        client.onClose(() -> clients.remove(client));
        Thread.ofVirtual().name("sse").start(() -> pump(client, after));
    }

    private void pump(SseClient client, long after) {
        long seen = after;
        long version = journal.version();
        long lastWrite = System.currentTimeMillis();
        try {
            while (!client.terminated() && !closed) {
                List<Event> page = store.events(seen, PAGE);
                for (Event e : page) {
                    client.sendEvent(e.type(), mapper.writeValueAsString(Views.event(e)), Long.toString(e.seq()));
                    seen = e.seq();
                    lastWrite = System.currentTimeMillis();
                }
                if (page.size() == PAGE) continue;
                if (System.currentTimeMillis() - lastWrite >= HEARTBEAT_MS) {
                    client.sendComment("heartbeat");
                    lastWrite = System.currentTimeMillis();
                }
                version = journal.awaitAfter(version, POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException | RuntimeException e) {
            // the client went away or the store is closing: end this stream
        } finally {
            client.close();
        }
    }

    private static long seq(String name, String text) {
        try {
            long v = Long.parseLong(text.trim());
            InvalidInput.require(v >= 0, name + " must not be negative, got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInput(name + " must be an event seq (a whole number), got '"
                    + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "'");
        }
    }

    @Override
    public void close() {
        closed = true;
        journal.signal();
        clients.forEach(SseClient::close);
    }
}
