package io.polyvisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.events.Journal;
import io.polyvisor.events.Resume;
import io.polyvisor.model.Event;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GET /api/v1/events/stream: server-sent events. Each event is sent as {@code id: SEQ}, {@code event: TYPE},
 * {@code data: EVENT-JSON}. A client resumes after the last event it saw with {@code Last-Event-ID} (or
 * {@code ?after=SEQ}); with neither it gets the log from the start. Every role may stream: admins get every event, other
 * roles the events of the VMs, networks, volumes and groups of their projects ({@link EventVisibility}); the others are skipped, not numbered again. A comment is sent every 15 s of quiet
 * so proxies keep the connection open. Events come from the store, so nothing is lost between a
 * client's reconnects, and a stream sees events of other servers sharing the database (at the next poll).
 *
 * <p>Each stream holds one (virtual) request thread for as long as the client stays connected; it ends when
 * a write fails (the client left) or the server closes.
 */
final class EventStream implements AutoCloseable {
    private static final int PAGE = 500;
    private static final long HEARTBEAT_MS = 15_000;
    private static final long POLL_MS = 1_000;

    private final Store store;
    private final Journal journal;
    private final ObjectMapper mapper;
    private final Set<Thread> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventStream(Store store, Journal journal, ObjectMapper mapper) {
        this.store = store;
        this.journal = journal;
        this.mapper = mapper;
    }

    Route route() {
        return Route.get("/api/v1/events/stream", "Stream events (text/event-stream); resumes after Last-Event-ID",
                new Payload.Text("text/event-stream", "Server-sent events: id = seq, event = type, data = Event JSON"),
                this::serve, "after:start after this seq (Last-Event-ID wins)").requires(io.polyvisor.access.Permission.READ);
    }

    private void serve(Context ctx) throws IOException {
        // validated before the stream's headers go out, so a bad value still gets a 400 problem
        String resume = ctx.header("Last-Event-ID");
        long after = resume != null && !resume.isBlank() ? Resume.checked(store, seq("Last-Event-ID", resume))
                : ctx.queryParam("after") != null ? Resume.checked(store, seq("after", ctx.queryParam("after")))
                : store.eventsPrunedThrough(); // no resume point: from the oldest event kept
        var res = ctx.res();
        res.setStatus(200);
        res.setCharacterEncoding("UTF-8");
        res.setContentType("text/event-stream");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        write(out, ": stream of events after seq " + after + "\n\n");
        streams.add(Thread.currentThread());
        try {
            pump(out, after, new EventVisibility(Caller.of(ctx), new StoreProjects(store)));
        } catch (IOException clientLeft) {
            // nothing to do: the client closed the connection
        } finally {
            streams.remove(Thread.currentThread());
        }
    }

    private void pump(OutputStream out, long after, EventVisibility visible) throws IOException {
        long seen = after;
        long version = journal.version();
        long lastWrite = System.currentTimeMillis();
        try {
            while (!closed) {
                List<Event> page = store.events(seen, PAGE);
                if (!page.isEmpty() && page.get(0).seq() != seen + 1) {
                    // seqs are dense: a gap is events retention removed before this client read them. End the
                    // stream; resuming with Last-Event-ID then gets 410 and the client lists the state again.
                    write(out, ": events after seq " + seen + " were removed by retention before this stream sent them\n\n");
                    return;
                }
                if (!page.isEmpty()) {
                    StringBuilder b = new StringBuilder();
                    for (Event e : page) {
                        seen = e.seq();
                        if (!visible.sees(e)) continue;
                        b.append("id: ").append(e.seq()).append('\n')
                                .append("event: ").append(e.type()).append('\n')
                                .append("data: ").append(mapper.writeValueAsString(Views.event(e))).append("\n\n");
                    }
                    if (!b.isEmpty()) {
                        write(out, b.toString());
                        lastWrite = System.currentTimeMillis();
                    }
                    if (page.size() == PAGE) continue;
                }
                if (System.currentTimeMillis() - lastWrite >= HEARTBEAT_MS) {
                    write(out, ": heartbeat\n\n");
                    lastWrite = System.currentTimeMillis();
                }
                version = journal.awaitAfter(version, POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
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

    /** Ends every open stream (their threads see {@code closed} at once). */
    @Override
    public void close() {
        closed = true;
        journal.signal();
        streams.forEach(Thread::interrupt);
    }
}
