package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * When a committed write is durable: on disk, so that neither {@code kill -9} of the server nor a crash of the
 * machine loses it. The store returns from a write, publishes the events it appended, and lets other calls read
 * it, only once it is; so an API answer (2xx) always comes after durability, and no event seq a client saw can be
 * taken back by a restart. (A read may still see rows of a write committed after it began and not yet durable: a
 * known gap, docs/ARCHITECTURE.md.)
 *
 * <p>Write commits are numbered ({@link #committed}) in commit order; {@link #await} returns once a number and all
 * before it are durable.
 */
interface Durability {
    /** Numbers the write commit that just returned (called under the store's commit lock, so in commit order). */
    long committed();

    /** The number of the last write commit (under the same lock), or 0. */
    long lastCommitted();

    /**
     * Returns once write commit {@code number}, and every one before it, is durable. The caller holds no connection
     * while it waits; {@code connection} opens one if this thread must sync (closed after), and the sync itself runs
     * through {@code betweenCommits}, which runs it while no transaction is committing or rolling back (the commit
     * lock, {@link EventFanout#betweenCommits}).
     *
     * @throws RuntimeException if the database cannot make it durable (an I/O error): the caller must not report
     *                          the write as done
     */
    void await(long number, Supplier<Handle> connection, Consumer<Runnable> betweenCommits);

    /**
     * Whether other sessions can read a committed write before it is durable. H2 makes a commit visible first and
     * writes it to its file afterwards; PostgreSQL flushes the commit to its WAL before it becomes visible.
     * Where this holds, a read first waits until every write committed before it is durable, and reads of the
     * event log stop at the last seq committed then.
     */
    boolean readsAheadOfDisk();

    /**
     * The database makes a commit durable before the commit returns and before anyone can read it: PostgreSQL
     * with {@code synchronous_commit} not off (see {@link Stores}), or an in-memory H2 (nothing is ever durable).
     */
    record AtCommit() implements Durability {
        @Override
        public long committed() {
            return 0;
        }

        @Override
        public long lastCommitted() {
            return 0;
        }

        @Override
        public void await(long number, Supplier<Handle> connection, Consumer<Runnable> betweenCommits) {}

        @Override
        public boolean readsAheadOfDisk() {
            return false;
        }
    }
}
