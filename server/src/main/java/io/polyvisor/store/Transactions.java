package io.polyvisor.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Runs work in one database transaction (READ COMMITTED), commits it and publishes its events, or rolls
 * it back entirely. A deadlock or serialization failure reruns the whole work, up to {@value #ATTEMPTS}
 * times, so the work must only touch the store (its side effects outside it would repeat).
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    static final int ATTEMPTS = 4;

    private final Jdbi jdbi;
    private final EventFanout fanout;

    Transactions(Jdbi jdbi, EventFanout fanout) {
        this.jdbi = jdbi;
        this.fanout = fanout;
    }

    <T> T run(Function<Tx, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !SqlErrors.retryable(e)) throw e;
                LOG.debug("transaction attempt {} failed with SQLSTATE {}, retrying", attempt, SqlErrors.sqlState(e));
                pause(attempt);
            }
        }
    }

    private <T> T once(Function<Tx, T> work) {
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                Tx tx = new Tx(h);
                T result = work.apply(tx);
                fanout.commitThenPublish(h::commit, tx.appended());
                committed(tx);
                return result;
            } catch (RuntimeException | Error e) {
                rollback(h, e);
                throw e;
            }
        }
    }

    private static void committed(Tx tx) {
        for (Runnable action : tx.afterCommit()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("an after-commit action failed; the transaction stays committed", e);
            }
        }
    }

    private static void rollback(Handle h, Throwable cause) {
        try {
            if (h.isInTransaction()) h.rollback();
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
