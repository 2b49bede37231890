package io.polyvisor.store;

import io.polyvisor.model.Event;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One open database transaction: its handle and the events appended in it, which are numbered and written when it
 * commits and which listeners see only once it is durable. Confined to the thread that runs the transaction.
 */
final class Tx {
    final Handle handle;
    private final List<EventLog.Pending> pending = new ArrayList<>();
    private List<Event> appended = List.of();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> afterVisible = new ArrayList<>();
    private int savepoints;
    private boolean wrote;

    private final long readableSeq;

    /** @param readableSeq events after this seq may not be durable yet: readers stop there */
    Tx(Handle handle, long readableSeq) {
        this.handle = handle;
        this.readableSeq = readableSeq;
    }

    long readableSeq() {
        return readableSeq;
    }

    /** Marks this transaction as a write: its commit must be made durable before the store returns. */
    void markWrite() {
        wrote = true;
    }

    boolean wrote() {
        return wrote;
    }

    /** Queues an event to be numbered and written when this transaction commits. */
    void append(EventLog.Pending e) {
        pending.add(e);
    }

    List<EventLog.Pending> pending() {
        return pending;
    }

    /** Records the events as written at commit, with their seqs. */
    void written(List<Event> events) {
        appended = events;
    }

    /** The events this transaction wrote, numbered (empty until it commits). */
    List<Event> appended() {
        return appended;
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void afterVisible(Runnable action) {
        afterVisible.add(action);
    }

    /** What to run now that this transaction committed, before it is durable (see {@link Store#afterVisible}). */
    List<Runnable> afterVisible() {
        return afterVisible;
    }

    /** What to run now that this transaction committed (see {@link Store#afterCommit}). */
    List<Runnable> afterCommit() {
        return afterCommit;
    }

    /**
     * Runs {@code write} under a savepoint. If it breaks a uniqueness rule the write is undone, the
     * transaction stays usable (PostgreSQL would otherwise refuse every later statement), and the
     * {@link Store.Conflict} from {@code explain} is thrown; {@code explain} may query this transaction.
     */
    void guarded(Runnable write, Supplier<Store.Conflict> explain) {
        underSavepoint(write, SqlErrors::uniqueViolation, explain);
    }

    /**
     * Runs {@code write} (a delete) under a savepoint. If a foreign key still refers to the row, the delete is undone,
     * the transaction stays usable and the {@link Store.Conflict} from {@code explain} is thrown.
     */
    void referenced(Runnable write, Supplier<Store.Conflict> explain) {
        underSavepoint(write, SqlErrors::foreignKeyViolation, explain);
    }

    private void underSavepoint(Runnable write, java.util.function.Predicate<Throwable> refused, Supplier<Store.Conflict> explain) {
        String name = "guard" + (++savepoints);
        int events = pending.size();
        handle.savepoint(name);
        try {
            write.run();
        } catch (RuntimeException e) {
            if (!refused.test(e)) throw e;
            handle.rollbackToSavepoint(name);
            pending.subList(events, pending.size()).clear();
            throw explain.get();
        }
        handle.release(name);
    }
}
