package io.polyvisor.cluster;

import io.polyvisor.events.Journal;
import io.polyvisor.model.Event;
import io.polyvisor.store.Store;

import java.util.List;

/**
 * What other servers write reaches this one by a short poll of the events table (every 200 ms), not LISTEN/NOTIFY:
 * a new event wakes this server's event streams (SSE) and its task executor, so a task another server queued for a
 * host owned here starts within a poll, and every client sees every server's events. One indexed range read per poll.
 */
final class ChangeFeed implements Runnable {
    private final Store store;
    private final Journal journal;
    private final Runnable wakeExecutor;
    private long seen;

    ChangeFeed(Store store, Journal journal, Runnable wakeExecutor) {
        this.store = store;
        this.journal = journal;
        this.wakeExecutor = wakeExecutor;
        this.seen = lastSeq(store);
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

    @Override
    public void run() {
        List<Event> page = store.events(seen, 1000);
        if (page.isEmpty()) return;
        seen = page.getLast().seq();
        journal.signal();
        wakeExecutor.run();
    }
}
