package io.polyvisor.store;

import io.polyvisor.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The store's commit lock: write transactions commit, are numbered for {@link Durability} and queue the events they
 * appended under it, so numbers, seqs and the queue all follow commit order, and a reader's barrier
 * ({@link #readable}) sees a consistent cut. Rollbacks and H2's syncs run under it too ({@link #betweenCommits}): on
 * H2 both save the database, and a save must not catch a transaction half committed. Also the in-process listeners
 * for appended events (the live event
 * stream): they see an event only once its transaction is committed and durable, never one rolled back, and in
 * seq order (once a commit is durable, every queued event up to its last seq is published: a durable commit makes
 * every earlier commit durable too).
 *
 * <p>Listeners run on a committing thread under the lock: they must be quick and must not block (hand the event
 * to a queue). A listener that throws is logged and does not affect the others.
 */
final class EventFanout {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);
    private final ReentrantLock order = new ReentrantLock();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Event> committed = new ArrayDeque<>();
    private long lastSeq;

    /** What a reader may read once write commit {@code commit} is durable: events up to {@code seq}. */
    record Readable(long commit, long seq) {}

    /** @param lastSeq the last seq in the database when the store opens */
    EventFanout(long lastSeq) {
        this.lastSeq = lastSeq;
    }

    AutoCloseable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Runs a write transaction's {@code commit} (which writes its events, numbered, then commits); if it succeeded,
     * numbers the commit and queues the {@code events} it wrote until {@link #durable} covers them.
     *
     * @return the commit's number
     */
    long commit(Runnable commit, java.util.function.Supplier<List<Event>> written, LongSupplier number) {
        order.lock();
        try {
            commit.run();
            long n = number.getAsLong();
            List<Event> events = written.get();
            if (!events.isEmpty()) {
                committed.addAll(events);
                lastSeq = events.getLast().seq();
            }
            return n;
        } finally {
            order.unlock();
        }
    }

    /**
     * Runs {@code work} while no write transaction commits (nor other such work runs): H2 saves its tables one after
     * another, so a save during a commit can put that transaction half on disk ({@link H2GroupSync}); syncs and
     * rollbacks (H2 saves at the end of one that undid changes) run here. {@code work} must not wait for anything a
     * committing thread holds: a sync opens its connection first.
     */
    void betweenCommits(Runnable work) {
        order.lock();
        try {
            work.run();
        } finally {
            order.unlock();
        }
    }

    /** The last write commit ({@code lastCommit}) and the last event seq committed, as one cut. */
    Readable readable(LongSupplier lastCommit) {
        order.lock();
        try {
            return new Readable(lastCommit.getAsLong(), lastSeq);
        } finally {
            order.unlock();
        }
    }

    /** Every event with a seq up to {@code seq} is durable: publishes those queued, in seq order. */
    void durable(long seq) {
        order.lock();
        try {
            while (!committed.isEmpty() && committed.peek().seq() <= seq) {
                Event e = committed.remove();
                for (Consumer<Event> l : listeners) deliver(l, e);
            }
        } finally {
            order.unlock();
        }
    }

    private static void deliver(Consumer<Event> listener, Event e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("event listener failed on event {} ({})", e.seq(), e.type(), ex);
        }
    }
}
