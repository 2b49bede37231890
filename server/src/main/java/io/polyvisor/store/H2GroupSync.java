package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

import java.util.function.Supplier;

/**
 * Durability for an H2 file database, by group commit. H2 makes a commit visible to other sessions before its
 * store writes it to the file (after {@code WRITE_DELAY}, 500 ms by default; {@link Stores} sets 0), and never forces
 * the file to the disk on commit; a process killed in between loses commits that others already read, and whose event
 * seqs clients already saw.
 *
 * <p>So the thread of each write commit, and any reader that must not see a commit before it is durable, waits
 * for {@code CHECKPOINT SYNC} (H2 writes all committed changes to the file, then forces the file to the disk). One
 * sync covers every commit numbered before it started: threads that need a later number while a sync runs wait
 * for it to end, then one of them runs the next sync for all of them. Under load each sync serves many commits.
 *
 * <p>{@code CHECKPOINT SYNC} needs an admin user; {@link Stores} checks it once when it opens the database.
 */
final class H2GroupSync implements Durability {
    /** The last write commit numbered (from 1). */
    private long committed;
    /** Every commit numbered up to this one is durable. */
    private long synced;
    private boolean syncing;

    @Override
    public synchronized long committed() {
        return ++committed;
    }

    @Override
    public synchronized long lastCommitted() {
        return committed;
    }

    @Override
    public void await(long number, Supplier<Handle> connection) {
        long covered;
        synchronized (this) {
            while (syncing && synced < number) waitForSync();
            if (synced >= number) return;
            syncing = true;
            covered = committed; // every commit numbered so far happened before the sync below starts
        }
        boolean done = false;
        try (Handle h = connection.get()) {
            sync(h);
            done = true;
        } finally {
            synchronized (this) {
                syncing = false;
                if (done) synced = Math.max(synced, covered);
                notifyAll();
            }
        }
    }

    @Override
    public boolean readsAheadOfDisk() {
        return true;
    }

    /** Writes every committed change to the database file and forces the file to the disk. */
    static void sync(Handle h) {
        h.execute("CHECKPOINT SYNC");
    }

    private void waitForSync() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for commits to reach the disk", e);
        }
    }
}
