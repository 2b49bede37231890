package io.polyvisor.coord;

import io.polyvisor.coordination.CoordGroup;
import io.polyvisor.coordination.Membership;
import io.polyvisor.events.Journal;
import io.polyvisor.store.Store;

/**
 * A group's membership for its guests, and its long-poll watch. Every change a member can see (created, placed,
 * started, stopped, moved, deleted) is journaled, so a watch reads the journal's version, reads the members, and
 * waits for the journal only if their version is still the one the caller passed: no change between the read and
 * the wait is missed.
 */
final class Peers {
    private final Store store;
    private final Journal journal;

    Peers(Store store, Journal journal) {
        this.store = store;
        this.journal = journal;
    }

    /**
     * The members now; with {@code index}, once their version differs from it or after {@code waitS} seconds. With
     * {@code networks} (a guest's own), each member shows only its addresses on those networks.
     */
    CoordViews.PeersView watch(CoordGroup group, String index, int waitS, java.util.Set<String> networks) throws InterruptedException {
        long deadline = System.nanoTime() + Changes.nanos(waitS);
        while (true) {
            long seen = journal.version();
            Membership.View v = Membership.of(CoordFeature.GROUP_LABEL, group, store.vms());
            long left = deadline - System.nanoTime();
            if (index == null || !index.equals(v.version()) || left <= 0) {
                return new CoordViews.PeersView(group.name(), group.project(), v.version(),
                        networks == null ? v.members() : v.members().stream().map(m -> m.on(networks)).toList());
            }
            journal.awaitAfter(seen, Math.max(1, left / 1_000_000));
        }
    }
}
