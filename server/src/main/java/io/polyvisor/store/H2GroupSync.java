package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

/**
 * Durability for an H2 file database, by group commit. H2 makes a commit visible at once but writes it to its
 * file later (after {@code WRITE_DELAY}, 500 ms by default), and never forces the file to the disk on commit; a
 * process killed in between loses commits that were already reported, and whose event seqs clients already saw.
 *
 * <p>So after each write transaction commits, its thread asks for {@code CHECKPOINT SYNC} (H2 writes all committed
 * changes to the file, then forces the file to the disk). One sync covers every commit made before it started:
 * threads that commit while a sync runs wait for it to end, then one of them runs the next sync for all of them.
 * Under load each sync serves many commits.
 *
 * <p>{@code CHECKPOINT SYNC} needs an admin user; {@link Stores} checks it once when it opens the database.
 */
final class H2GroupSync implements Durability {
    /** Commits that asked for a sync, numbered from 1. */
    private long requested;
    /** Every commit numbered up to this one is durable. */
    private long synced;
    private boolean syncing;

    @Override
    public void await(Handle h) {
        long ticket;
        long covered;
        synchronized (this) {
            ticket = ++requested;
            while (syncing && synced < ticket) waitForSync();
            if (synced >= ticket) return;
            syncing = true;
            covered = requested; // every commit numbered so far happened before the sync below starts
        }
        boolean done = false;
        try {
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
            throw new IllegalStateException("interrupted while waiting for a commit to reach the disk;"
                    + " it is committed but may not survive a crash", e);
        }
    }
}
