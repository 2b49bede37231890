package io.polyvisor.lifecycle;

import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The one way this process changes a VM row: read, apply, write, under a lock striped by VM id. The API,
 * the lifecycle controller and the host monitor all write VM rows; without this, one writer's stale
 * read would undo another's change (an observed state overwriting a new intent).
 */
public final class VmUpdates {
    private final Store store;
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final java.util.Map<UUID, Long> lastWrite = new java.util.concurrent.ConcurrentHashMap<>();

    public VmUpdates(Store store) {
        this.store = store;
        for (int i = 0; i < stripes.length; i++) stripes[i] = new ReentrantLock();
    }

    /**
     * Applies {@code change} to the current row and stores the result if it differs. Returns the stored
     * VM, or empty if the row no longer exists. {@code change} may throw; then nothing is written.
     */
    public Optional<Vm> update(UUID id, UnaryOperator<Vm> change) {
        return locked(id, () -> {
            Optional<Vm> current = store.vm(id);
            if (current.isEmpty()) return Optional.<Vm>empty();
            Vm next = change.apply(current.get());
            if (!next.equals(current.get())) {
                store.updateVm(next);
                touch(id);
            }
            return Optional.of(next);
        });
    }

    /**
     * Like {@link #update(UUID, UnaryOperator)}, in one transaction with {@code alsoInTx}, which is called with
     * the transaction's store view, the row before and the row after when the row changed (to append an event
     * that must appear together with the change). {@code alsoInTx} must only read and write the store.
     */
    public Optional<Vm> update(UUID id, UnaryOperator<Vm> change, TxFollowUp alsoInTx) {
        return locked(id, () -> {
            Optional<Vm> result = store.inTransaction(tx -> {
                Optional<Vm> current = tx.vm(id);
                if (current.isEmpty()) return Optional.<Vm>empty();
                Vm next = change.apply(current.get());
                if (!next.equals(current.get())) {
                    tx.updateVm(next);
                    alsoInTx.accept(tx, current.get(), next);
                }
                return Optional.of(next);
            });
            touch(id);
            return result;
        });
    }

    /** Work done in the same transaction as a VM row change. */
    @FunctionalInterface
    public interface TxFollowUp {
        void accept(Store tx, Vm before, Vm after);
    }

    /** Notes that the row of {@code id} was written now (by a path other than {@link #update}). */
    public void touch(UUID id) {
        lastWrite.put(id, System.nanoTime());
    }

    /**
     * Whether the row was written at or after {@code nanoTime} ({@link System#nanoTime()}): an observation
     * taken before then is stale and must not overwrite it.
     */
    public boolean writtenSince(UUID id, long nanoTime) {
        Long t = lastWrite.get(id);
        return t != null && t - nanoTime >= 0;
    }

    /** Runs {@code work} holding {@code id}'s lock, for writes that span more than one row or call. */
    public <T> T locked(UUID id, java.util.function.Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(id.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
