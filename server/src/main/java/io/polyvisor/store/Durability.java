package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

/**
 * When a committed write is durable: on disk, so that neither {@code kill -9} of the server nor a crash of the
 * machine loses it. The store returns from a write, and publishes the events it appended, only once it is; so
 * an API answer (2xx) always comes after durability, and no client ever sees an event seq that a restart could
 * hand out again.
 */
interface Durability {
    /**
     * Returns once the transaction just committed on {@code h}, and every one committed before it, is durable.
     *
     * @throws RuntimeException if the database cannot make it durable (an I/O error): the caller must not report
     *                          the write as done
     */
    void await(Handle h);

    /**
     * Whether other sessions can read a committed write before it is durable. H2 makes a commit visible first and
     * writes it to its file afterwards; PostgreSQL flushes the commit to its WAL before it becomes visible.
     * Where this holds, readers of the event log must stop at the last seq known durable.
     */
    boolean readsAheadOfDisk();

    /**
     * The database makes a commit durable before the commit returns and before anyone can read it: PostgreSQL
     * with {@code synchronous_commit} not off (see {@link Stores}), or an in-memory H2 (nothing is ever durable).
     */
    record AtCommit() implements Durability {
        @Override
        public void await(Handle h) {}

        @Override
        public boolean readsAheadOfDisk() {
            return false;
        }
    }
}
