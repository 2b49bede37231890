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

/**
 * In-process listeners for appended events (the live event stream), and the last seq known durable. Listeners
 * see an event only once its transaction is committed and durable ({@link Durability}), never one rolled back,
 * and in seq order: a transaction that appended events commits and queues them under one lock, and the next seq
 * cannot be assigned before the previous appender committed (the counter row lock), so the queue is in seq order;
 * once a commit is durable, every queued event up to its last seq is published, since a durable commit makes
 * every earlier commit durable too.
 *
 * <p>Listeners run on a committing thread under that lock: they must be quick and must not block (hand the event
 * to a queue). A listener that throws is logged and does not affect the others.
 */
final class EventFanout {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);
    private final ReentrantLock order = new ReentrantLock();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Event> committed = new ArrayDeque<>();
    private volatile long durableSeq;

    /** @param durableSeq the last seq already durable when the store opens */
    EventFanout(long durableSeq) {
        this.durableSeq = durableSeq;
    }

    AutoCloseable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Runs {@code commit}; if it succeeded, queues {@code events} until {@link #durable} covers them. */
    void commit(Runnable commit, List<Event> events) {
        if (events.isEmpty()) {
            commit.run();
            return;
        }
        order.lock();
        try {
            commit.run();
            committed.addAll(events);
        } finally {
            order.unlock();
        }
    }

    /** Every event with a seq up to {@code seq} is durable: publishes those queued, in seq order. */
    void durable(long seq) {
        order.lock();
        try {
            if (seq > durableSeq) durableSeq = seq;
            while (!committed.isEmpty() && committed.peek().seq() <= seq) {
                Event e = committed.remove();
                for (Consumer<Event> l : listeners) deliver(l, e);
            }
        } finally {
            order.unlock();
        }
    }

    /** The last seq known durable: no event up to it can be lost or its seq handed out again. */
    long durableSeq() {
        return durableSeq;
    }

    private static void deliver(Consumer<Event> listener, Event e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("event listener failed on event {} ({})", e.seq(), e.type(), ex);
        }
    }
}
