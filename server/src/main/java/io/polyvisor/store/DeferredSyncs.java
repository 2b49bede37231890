package io.polyvisor.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongConsumer;

/**
 * The background sync behind commits that did not wait to be durable ({@link Transactions#deferring}): one daemon
 * thread that, while such commits are pending, makes the newest of them durable (one sync covers every commit before
 * it) and then publishes the events up to the last seq they appended. Contract: every commit {@link #request}ed is
 * durable, and its events published, within about one sync after the request (the first sync may also cover later
 * ones); a failed sync is logged and retried, and its events stay unpublished until one succeeds.
 */
final class DeferredSyncs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredSyncs.class);

    private final LongConsumer sync;
    private final LongConsumer publish;
    private final Thread thread;
    private long number;
    private long seq;
    private long done;
    private boolean closed;

    /**
     * @param sync    returns once the commit of this number, and every one before it, is durable
     * @param publish publishes the events up to this seq (all durable)
     */
    DeferredSyncs(LongConsumer sync, LongConsumer publish) {
        this.sync = sync;
        this.publish = publish;
        this.thread = Thread.ofPlatform().daemon().name("store-deferred-sync").start(this::loop);
    }

    /** Commit {@code number} did not wait to be durable; {@code lastSeq} is the last event seq it appended, or 0. */
    synchronized void request(long number, long lastSeq) {
        this.number = Math.max(this.number, number);
        this.seq = Math.max(this.seq, lastSeq);
        notifyAll();
    }

    private void loop() {
        while (true) {
            long n;
            long s;
            synchronized (this) {
                while (number <= done && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (number <= done) return; // closed with nothing pending
                n = number;
                s = seq;
            }
            try {
                sync.accept(n);
                if (s > 0) publish.accept(s);
                synchronized (this) {
                    done = n;
                    notifyAll();
                }
            } catch (RuntimeException e) {
                LOG.warn("deferred commits up to {} could not be made durable yet; retrying: {}", n, e.getMessage());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (at most 10 s) until every commit requested so far is durable, then stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
