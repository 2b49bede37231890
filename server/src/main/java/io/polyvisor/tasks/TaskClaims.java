package io.polyvisor.tasks;

import io.polyvisor.model.Task;
import io.polyvisor.store.Store;

import java.util.Optional;

/**
 * Which queued tasks this server may run, and the fencing of what it writes while running one (docs/CLUSTER.md).
 * A single server ({@link #ALL}) runs every task. In a cluster a task belongs to the owner of its host's lease (the
 * leader's for a task with no host): {@link #claim} returns the lease and epoch it runs under, and every write the
 * executor makes for the task calls {@link Claim#verify} inside its transaction, so a server that lost the lease
 * (paused, cut off) cannot record anything more about the task: the database refuses the stale epoch.
 */
public interface TaskClaims {
    /** The claim under which this server may run {@code task} now, or empty if it belongs to another server. */
    Optional<Claim> claim(Task task);

    /** A task's right to run here; closed when the executor is done with the task (finished, retrying or abandoned). */
    interface Claim extends AutoCloseable {
        /**
         * Throws {@link Lost} unless the claim still holds: call it inside the transaction of a write (the lease row
         * stays locked until that transaction ends), or with the root store between steps.
         */
        void verify(Store tx);

        /** The fence every write of the task's run is made under (its lease at the claimed epoch), or null when unfenced. */
        default io.polyvisor.store.WriteFence fence() {
            return null;
        }

        @Override
        void close();
    }

    /** The claim no longer holds: the task is left, unrecorded, to the lease's new owner, which runs it again. */
    final class Lost extends RuntimeException {
        public Lost(String message) {
            super(message, null, false, false);
        }
    }

    /** A single server: every task is its own, and nothing can take it away. */
    TaskClaims ALL = task -> Optional.of(new Claim() {
        @Override
        public void verify(Store tx) {}

        @Override
        public void close() {}
    });
}
