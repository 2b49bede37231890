package io.polyvisor.store;

import io.polyvisor.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * In-process listeners for appended events (the live event stream). Listeners are called after the
 * appending transaction commits, never for one that rolls back, and in seq order: a transaction that
 * appended events commits and publishes under one lock, and the next seq cannot be assigned before the
 * previous appender committed (the counter row lock), so publication order equals seq order.
 *
 * <p>Listeners run on the committing thread under that lock: they must be quick and must not block
 * (hand the event to a queue). A listener that throws is logged and does not affect the others.
 */
final class EventFanout {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);
    private final ReentrantLock order = new ReentrantLock();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Runs {@code commit}, then, if it succeeded, hands {@code events} to every listener. */
    void commitThenPublish(Runnable commit, List<Event> events) {
        if (events.isEmpty()) {
            commit.run();
            return;
        }
        order.lock();
        try {
            commit.run();
            for (Event e : events) {
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
