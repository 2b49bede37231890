package io.polyvisor.ha;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The server's per-VM write lock (the lifecycle's VmUpdates), so that HA's row rewrites never interleave with
 * another writer's read-modify-write of the same VM.
 */
public interface VmLocks {
    <T> T locked(UUID vm, Supplier<T> work);

    /** For single-writer setups (tests): no locking. */
    VmLocks NONE = new VmLocks() {
        @Override
        public <T> T locked(UUID vm, Supplier<T> work) {
            return work.get();
        }
    };
}
