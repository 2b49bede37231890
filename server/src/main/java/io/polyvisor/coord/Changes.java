package io.polyvisor.coord;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes watches when a key-value write commits. A version counter, not a queue: a watcher reads the version, reads
 * the store, and waits only if the version has not moved since, so no commit between its read and its wait is missed.
 * A lock and condition rather than {@code synchronized}, so a waiting virtual thread does not pin its carrier.
 */
final class Changes {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;

    void signal() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the version differs from {@code seen} or {@code nanos} pass. */
    void awaitAfter(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (version == seen && left > 0) left = changed.awaitNanos(left);
        } finally {
            lock.unlock();
        }
    }

    static long nanos(long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
