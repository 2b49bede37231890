package io.polyvisor.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Runs work in one database transaction (READ COMMITTED), commits it, waits until a write is durable and
 * publishes its events, or rolls it back entirely. A deadlock or serialization failure reruns the whole work,
 * up to {@value #ATTEMPTS} times, so the work must only touch the store (its side effects outside it would
 * repeat). A write returns only once it is durable ({@link Durability}): what a caller reports as done survives
 * {@code kill -9}.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    /** Every event committed, as the server's log shows them (the event log is the audit trail). */
    private static final Logger EVENTS = LoggerFactory.getLogger("io.polyvisor.events");
    static final int ATTEMPTS = 4;

    private final Jdbi jdbi;
    private final EventFanout fanout;
    private final Durability durability;
    /** Whether this thread is running a transaction's work (a root-store call from inside it is nested). */
    private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);
    /** Whether this thread's transactions defer durability ({@link #deferring}). */
    private final ThreadLocal<Boolean> deferring = ThreadLocal.withInitial(() -> false);
    private final DeferredSyncs deferred;

    /** PostgreSQL: tells every server on the database of each commit that appended events; null on H2. */
    private final EventNotifications notifications;

    Transactions(Jdbi jdbi, EventFanout fanout, Durability durability, EventNotifications notifications) {
        this.jdbi = jdbi;
        this.notifications = notifications;
        this.fanout = fanout;
        this.durability = durability;
        this.deferred = new DeferredSyncs(number -> durability.await(number, jdbi::open, fanout::betweenCommits), fanout::durable);
    }

    /**
     * Runs {@code work} with this thread's transactions deferring durability: each write commits and returns without
     * waiting until it is durable, and reads skip the read barrier. Its events still reach listeners only once durable
     * (a background sync follows every such commit), and commits stay durable in commit order, so a crash can only
     * lose a suffix of them. For work whose writes a crash may lose because it is re-run after one: the task
     * executor's steps (docs/ARCHITECTURE.md, "Durability").
     */
    <T> T deferring(java.util.function.Supplier<T> work) {
        boolean outer = deferring.get();
        deferring.set(true);
        try {
            return work.get();
        } finally {
            deferring.set(outer);
        }
    }

    /** Returns once every write committed so far is durable, on a deferring thread too. */
    void awaitDurable() {
        if (!durability.readsAheadOfDisk()) return;
        durability.await(fanout.readable(durability::lastCommitted).commit(), jdbi::open, fanout::betweenCommits);
    }

    /** Stops the background sync after making every deferred commit durable. */
    void close() {
        deferred.close();
    }

    /** Work that may read: on a database that {@link Durability#readsAheadOfDisk}, it reads only durable commits. */
    <T> T run(Function<Tx, T> work) {
        return run(work, true);
    }

    /**
     * Work that writes: it starts at once, without the read barrier; whatever it reads of others' commits is
     * durable by the time its own commit is (a sync covers every commit before it).
     */
    <T> T write(Function<Tx, T> work) {
        return run(work, false);
    }

    private <T> T run(Function<Tx, T> work, boolean reads) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work, reads);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !SqlErrors.retryable(e)) throw e;
                LOG.debug("transaction attempt {} failed with SQLSTATE {}, retrying", attempt, SqlErrors.sqlState(e));
                pause(attempt);
            }
        }
    }

    private <T> T once(Function<Tx, T> work, boolean reads) {
        // a root-store call from inside another transaction's work reads nothing that work could not
        boolean nested = inTransaction.get();
        boolean defer = deferring.get() && durability.readsAheadOfDisk();
        long readableSeq = reads && !nested && !defer ? awaitReadable() : Long.MAX_VALUE;
        Tx tx;
        T result;
        long number = 0;
        inTransaction.set(true);
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                tx = new Tx(h, readableSeq);
                result = work.apply(tx);
                if (tx.wrote()) fence(h);
                if (tx.wrote()) {
                    number = fanout.commit(() -> {
                        tx.written(EventLog.write(h, tx.pending()));
                        if (notifications != null && !tx.appended().isEmpty()) notifications.notify(h);
                        h.commit();
                    }, tx::appended, durability::committed);
                } else {
                    h.commit();
                }
            } catch (RuntimeException | Error e) {
                rollback(h, e);
                throw e;
            }
        } finally {
            inTransaction.set(nested);
        }
        // the connection is back in the pool: waiting for the disk holds none
        for (var e : tx.appended()) EVENTS.info("event {} {} {}: {}", e.seq(), e.type(), e.subject(), e.message());
        runAll(tx.afterVisible(), "an after-visible");
        if (tx.wrote() && defer) {
            deferred.request(number, tx.appended().isEmpty() ? 0 : tx.appended().getLast().seq());
        } else if (tx.wrote()) {
            madeDurable(number);
            if (!tx.appended().isEmpty()) fanout.durable(tx.appended().getLast().seq());
        }
        committed(tx);
        return result;
    }

    /**
     * A write made under this thread's {@link WriteFence} commits only if the database shows its leases held at their
     * epochs now; the check locks their rows FOR KEY SHARE until the commit, so no takeover (which takes them FOR UPDATE)
     * commits in between, while renewals (plain updates of the expiry) do not wait for it.
     */
    private static void fence(Handle h) {
        WriteFence f = WriteFence.current();
        if (f == null) return;
        if (!ClusterTable.holdsAll(h, f.owner(), f.leases())) {
            throw new WriteFence.Refused("the database refuses this write by " + f.owner() + ": lease(s) " + f.leases()
                    + " are no longer held at these epochs");
        }
    }

    /**
     * The read barrier: waits until every write committed so far is durable, and returns the last event seq they
     * appended (events after it may not be durable yet). Nothing to wait for where commits are durable once visible.
     */
    private long awaitReadable() {
        if (!durability.readsAheadOfDisk()) return Long.MAX_VALUE;
        EventFanout.Readable cut = fanout.readable(durability::lastCommitted);
        durability.await(cut.commit(), jdbi::open, fanout::betweenCommits);
        return cut.seq();
    }

    /** Never retried: the transaction is committed, running the work again would apply it twice. */
    private void madeDurable(long number) {
        try {
            durability.await(number, jdbi::open, fanout::betweenCommits);
        } catch (RuntimeException e) {
            var failure = new IllegalStateException("a write was committed but could not be made durable: " + e.getMessage());
            failure.addSuppressed(e); // not the cause: a retryable SQLSTATE in the chain must not rerun the work
            throw failure;
        }
    }

    private static void committed(Tx tx) {
        runAll(tx.afterCommit(), "an after-commit");
    }

    private static void runAll(java.util.List<Runnable> actions, String what) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn(what + " action failed; the transaction stays committed", e);
            }
        }
    }

    /**
     * Under the commit lock, as commits: on H2 a rollback that undid changes saves the database, and a save must not
     * catch another transaction's commit half done.
     */
    private void rollback(Handle h, Throwable cause) {
        try {
            if (h.isInTransaction()) fanout.betweenCommits(h::rollback);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt + (long) (Math.random() * 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }
}
