package io.polyvisor.cluster;

import io.polyvisor.events.Journal;
import io.polyvisor.feature.Controller;
import io.polyvisor.model.Event;
import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * What other servers write reaches this one by PostgreSQL LISTEN/NOTIFY ({@link Store#listenForEvents}): each commit
 * that appended events notifies every server, whose listener thread then reads the new events (one indexed range
 * read), wakes this server's event streams (SSE) and its task executor, so a task another server queued for a host
 * owned here starts at once and every client sees every server's events. A poll every {@link #FALLBACK} runs the same
 * read in case a notification was lost (the listener reconnecting after a database restart).
 */
final class ChangeFeed implements Controller {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    static final Duration FALLBACK = Duration.ofSeconds(1);
    /** {@code -Dpolyvisor.cluster.listen=false}: no LISTEN, a poll every 200 ms instead (the former way; a benchmark baseline). */
    private static final boolean LISTEN = !"false".equals(System.getProperty("polyvisor.cluster.listen"));

    private final Store store;
    private final Journal journal;
    private final Runnable wakeExecutor;
    private final Controller poll;
    private AutoCloseable listening;
    private long seen;

    ChangeFeed(Store store, Journal journal, Runnable wakeExecutor) {
        this.store = store;
        this.journal = journal;
        this.wakeExecutor = wakeExecutor;
        this.seen = lastSeq(store);
        this.poll = Controller.every("cluster-feed", LISTEN ? FALLBACK : Duration.ofMillis(200), this::read);
    }

    /** The newest event's seq, read page by page from the oldest kept (once, at start). */
    private static long lastSeq(Store store) {
        long after = store.eventsPrunedThrough();
        while (true) {
            List<Event> page = store.events(after, 1000);
            if (page.isEmpty()) return after;
            after = page.getLast().seq();
        }
    }

    /** Reads events after the last seen; if there are any, wakes the streams and the executor. */
    synchronized void read() {
        List<Event> page = store.events(seen, 1000);
        if (page.isEmpty()) return;
        seen = page.getLast().seq();
        journal.signal();
        wakeExecutor.run();
    }

    @Override
    public synchronized void start() {
        if (LISTEN) listening = store.listenForEvents(this::read);
        poll.start();
    }

    @Override
    public void close() {
        poll.close();
        AutoCloseable l;
        synchronized (this) {
            l = listening;
            listening = null;
        }
        if (l == null) return;
        try {
            l.close();
        } catch (Exception e) {
            log.debug("closing the event listener", e);
        }
    }
}
