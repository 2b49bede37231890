package io.polyvisor.coord;

import io.polyvisor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Keeps a deleted key's tombstone for the group's next {@link #KEEP} revisions, then removes it, so that a group whose
 * keys come and go does not grow without bound (etcd's revision-based compaction). Watches from an index that old
 * are answered at once ({@link Coordination#watch}). Every server may run it: a pass is idempotent, under the group's
 * lock.
 */
final class TombstoneCompactor {
    /** Revisions a tombstone outlives its delete by. */
    static final long KEEP = 1000;
    private static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(TombstoneCompactor.class);

    private final Store store;
    private final Coordination coord;
    private final long keep;

    TombstoneCompactor(Store store, Coordination coord, long keep) {
        this.store = store;
        this.coord = coord;
        this.keep = keep;
    }

    /** One pass over every group with tombstones to remove; returns how many were removed. */
    int pass() {
        int removed = 0;
        for (String group : store.coordGroupsToCompact(keep)) removed += coord.compact(group, keep);
        return removed;
    }

    /** The controller that runs a pass at start and then every minute (a failed pass is logged; the next runs on time). */
    io.polyvisor.feature.Controller controller() {
        return io.polyvisor.feature.Controller.every("coord-compactor", EVERY, () -> {
            int n = pass();
            if (n > 0) log.info("removed {} key-value tombstones more than {} revisions old", n, keep);
        });
    }
}
