package io.polyvisor.coord;

import io.polyvisor.coordination.KeyPath;
import io.polyvisor.coordination.KvEntry;
import io.polyvisor.coordination.KvRules;
import io.polyvisor.coordination.LeaseRules;
import io.polyvisor.model.Refusal;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Group commit of a group's key-value writes. Concurrent writes of one group queue up; whichever writer finds the
 * group's lock free ({@link Coordination#trySerializedIf}) takes every write queued so far (at most {@link #MAX_BATCH})
 * and runs
 * them, in queue order, in one store transaction: each with its own fencing and compare-and-set check against the
 * state left by the ones before it, a refused one writing nothing, each accepted one getting the next revision. The
 * others wait for their outcome. One commit (and one sync of the disk) then serves the whole batch instead of one
 * each, which is what bounds a group's write rate otherwise. A writer that finds the lock held does not queue on it
 * (a convoy of threads each taking the lock only to find its write already done): it waits until a batch took its
 * write; when a holder releases the lock, it wakes the write then first in the queue, whose writer tries the lock
 * and leads the next batch.
 *
 * <p>Linearizability holds as for one write per transaction: every write of the batch was asked for before the batch
 * was taken and is answered after its commit, which is within each one's interval, and they take effect in queue
 * order at that commit. A write's answer comes only once the commit is durable. If the transaction fails (an I/O
 * error), every write of the batch fails with it and none is applied.
 */
final class KvBatches {
    /** The most writes one transaction carries; the rest wait for the next one. */
    static final int MAX_BATCH = 256;

    /** One write asked for: {@code value} null deletes. */
    record Write(String group, KeyPath key, String value, Long cas, LeaseRules.Fence fence) {}

    private static final class Pending {
        final Write write;
        final CompletableFuture<KvEntry> outcome = new CompletableFuture<>();
        /** A permit when this write was taken, or when the lock was released while it waited at the queue's head. */
        final java.util.concurrent.Semaphore signal = new java.util.concurrent.Semaphore(0);
        volatile boolean taken;

        void take() {
            taken = true;
            signal.release();
        }

        Pending(Write write) {
            this.write = write;
        }
    }

    private final Coordination coord;
    private final Clock clock;
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Pending>> queues = new ConcurrentHashMap<>();

    KvBatches(Coordination coord, Clock clock) {
        this.coord = coord;
        this.clock = clock;
    }

    /** Applies {@code w} (in some batch) and returns the entry written; throws its refusal as a single write would. */
    KvEntry write(Write w) {
        var me = new Pending(w);
        var queue = queues.computeIfAbsent(w.group(), g -> new ConcurrentLinkedQueue<>());
        queue.add(me);
        while (!me.taken) {
            List<Pending> batch = new ArrayList<>();
            boolean ran;
            try {
                ran = coord.trySerializedIf(w.group(), () -> {
                    if (me.taken) return false; // an earlier batch carries it: no transaction
                    for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
                        p.take();
                        batch.add(p);
                    }
                    return true;
                }, tx -> {
                    run(tx, w.group(), batch);
                    tx.afterVisible(() -> { // after the lock's release: whoever now heads the queue leads the next batch
                        Pending next = queue.peek();
                        if (next != null) next.signal.release();
                    });
                });
            } catch (RuntimeException failure) {
                batch.forEach(p -> p.outcome.completeExceptionally(failure));
                if (!me.taken && queue.remove(me)) throw failure;
                continue;
            }
            // another writer holds the lock: its batch, or the next one, takes this write
            if (!ran) awaitTaken(me);
        }
        return await(me);
    }

    /**
     * Runs the batch inside the transaction; completes each write's outcome only after the commit is durable. The
     * work may run again after a deadlock: outcomes are collected afresh each time.
     */
    private void run(Store tx, String group, List<Pending> batch) {
        long base = tx.lockCoordGroup(group, 0);
        List<Object> outcomes = new ArrayList<>(batch.size());
        int written = 0;
        for (Pending p : batch) {
            try {
                KvEntry e = apply(tx, p.write, base + written + 1);
                written++;
                outcomes.add(e);
            } catch (Refusal | Coordination.CasMismatch refused) {
                outcomes.add(refused);
            }
        }
        if (written > 0) tx.lockCoordGroup(group, written);
        tx.afterCommit(() -> {
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) instanceof KvEntry e) batch.get(i).outcome.complete(e);
                else batch.get(i).outcome.completeExceptionally((RuntimeException) outcomes.get(i));
            }
            coord.changes().signal();
        });
    }

    /** One write against the transaction's current state: refused (throws, writes nothing) or written at {@code rev}. */
    private KvEntry apply(Store tx, Write w, long rev) {
        if (w.fence() != null) {
            LeaseRules.fencedWrite(tx.lease(w.group(), w.fence().name()), w.fence().name(), w.fence().token(), clock.instant())
                    .ifPresent(reason -> {
                        throw Refusal.conflict(reason);
                    });
        }
        Optional<KvEntry> cur = tx.kv(w.group(), w.key().text());
        KvRules.compareAndSet(cur, w.key().text(), w.cas()).ifPresent(reason -> {
            throw new Coordination.CasMismatch(reason, KvRules.currentRevision(cur));
        });
        if (w.value() == null && cur.filter(e -> !e.deleted()).isEmpty()) {
            throw Refusal.notFound("key " + w.key().text() + " not found in group " + w.group());
        }
        KvEntry e = new KvEntry(w.group(), w.key().text(), w.value(), rev);
        tx.putKv(e);
        return e;
    }

    /**
     * Waits until a batch took {@code p}, or the lock holder released the lock with {@code p} first in the queue (it
     * had drained the queue before {@code p} joined), or 50 ms at most.
     */
    private static void awaitTaken(Pending p) {
        try {
            p.signal.tryAcquire(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a key-value write", e);
        }
    }

    private static KvEntry await(Pending p) {
        try {
            return p.outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a key-value write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
