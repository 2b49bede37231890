package io.polyvisor.events;

import io.polyvisor.store.Store;

/**
 * Appends events to the store and wakes whoever streams them. Every state change a user can see is
 * recorded through here, so the event log is the audit trail.
 *
 * <p>Events written inside a store transaction (through {@link #record(Store, EventType, String, String)})
 * become visible at commit; the caller calls {@link #signal()} after the transaction so streams see them
 * at once (they would otherwise see them at their next poll).
 */
public final class Journal {
    private final Store store;
    private long version;

    public Journal(Store store) {
        this.store = store;
    }

    /** Appends an event in its own transaction and wakes streams. */
    public void record(EventType type, String subject, String message) {
        record(store, type, subject, message);
        signal();
    }

    /**
     * Appends through {@code tx} (a transaction's store view); call {@link #signal()} after commit. The event gets its
     * seq at commit, and the store logs it then.
     */
    public void record(Store tx, EventType type, String subject, String message) {
        tx.appendEvent(type.wireName(), subject, message);
    }

    public synchronized void signal() {
        version++;
        notifyAll();
    }

    /** The current signal version, to pass to {@link #awaitAfter}. */
    public synchronized long version() {
        return version;
    }

    /** Waits until a signal newer than {@code seen} or {@code millis} pass; returns the version now. */
    public synchronized long awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (version == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) break;
            wait(left);
        }
        return version;
    }
}
