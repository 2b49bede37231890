package io.polyvisor.store;

import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Durability for an H2 file database, by group commit. H2 makes a commit visible to other sessions before its
 * store writes it to the file (after {@code WRITE_DELAY}, 500 ms by default; {@link Stores} sets 0), and never forces
 * the file to the disk on commit; a process killed in between loses commits that others already read, and whose event
 * seqs clients already saw.
 *
 * <p>So the thread of each write commit, and any reader that must not see a commit before it is durable, waits
 * for a sync: {@code CHECKPOINT} (H2 writes all committed changes to the file), then the file forced to the disk. One
 * sync covers every commit numbered before it started: threads that need a later number while a sync runs wait
 * for it to end, then one of them runs the next sync for all of them. Under load each sync serves many commits.
 *
 * <p>A sync runs between commits (under the commit lock, after its connection is open): H2 saves its maps (each
 * table and index, and each transaction's undo log) one after another, and a transaction commits by marking its
 * undo log committed, then marking each of its changes committed, then clearing its undo log. A save that runs
 * during a commit can take a table before its change was marked and the undo log after it was cleared; recovery
 * after a {@code kill -9} then finds an uncommitted change with no undo log and reads the value from before it: the
 * transaction is half on disk (a row gone from one index and present in another, an insert in one table without
 * the other). Seen with a standalone H2 test (writers committing without a common lock, one thread syncing, kill -9:
 * a row in one table without its pair), not yet in CrashLoopTest. H2 also saves at the end of every transaction
 * that changed something ({@code WRITE_DELAY=0}); so write commits and rollbacks run under the same lock
 * ({@link Transactions}), and a transaction that was not marked as a write must change nothing.
 *
 * <p>Only the save runs under the commit lock; the force to the disk runs after it, while transactions commit again
 * ({@link #await}): a sync that held the lock for the whole {@code fsync} (tens of ms on a busy disk) stopped every
 * commit for that long, and with them every transaction queued behind the event counter's row lock.
 *
 * <p>{@code CHECKPOINT} needs an admin user; {@link Stores} checks it once when it opens the database.
 */
final class H2GroupSync implements Durability {
    /** The database file, forced to the disk by this class; null: H2 forces it itself, under the commit lock. */
    private final Path file;
    /** The last write commit numbered (from 1). */
    private long committed;
    /** Every commit numbered up to this one is durable. */
    private long synced;
    private boolean syncing;

    /** @param file the database's {@code .mv.db} file, or null to let H2 force it ({@code CHECKPOINT SYNC}) */
    H2GroupSync(Path file) {
        this.file = file;
    }

    @Override
    public synchronized long committed() {
        return ++committed;
    }

    @Override
    public synchronized long lastCommitted() {
        return committed;
    }

    @Override
    public void await(long number, Supplier<Handle> connection, Consumer<Runnable> betweenCommits) {
        long covered;
        synchronized (this) {
            while (syncing && synced < number) waitForSync();
            if (synced >= number) return;
            syncing = true;
            covered = committed; // every commit numbered so far happened before the sync below starts
        }
        boolean done = false;
        try {
            try (Handle h = connection.get()) {
                betweenCommits.accept(() -> {
                    if (file == null) sync(h);
                    else save(h);
                });
            }
            if (file != null) force(file);
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

    /** Writes every committed change to the database file (to the operating system; not forced to the disk yet). */
    private static void save(Handle h) {
        h.execute("CHECKPOINT");
    }

    /**
     * Forces {@code file} to the disk: on Linux {@code fsync} on any descriptor of a file writes all of its dirty data,
     * so this covers every save H2 made through its own before this call began.
     */
    private static void force(Path file) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force database file " + file + " to the disk", e);
        }
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
