package io.polyvisor.coord;

import io.polyvisor.coordination.CoordGroup;
import io.polyvisor.coordination.KeyPath;
import io.polyvisor.coordination.KvEntry;
import io.polyvisor.coordination.Lease;
import io.polyvisor.coordination.LeaseRules;
import io.polyvisor.events.Journal;
import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The key-value store and leases of each group, for guests and operators alike. Every write of a group runs under
 * this process's lock of that group, and inside it in one store transaction that first locks the group's row
 * ({@link Store#lockCoordGroup}) and reads with locking reads. So a group's writes happen one at a time, each
 * transaction starting after the previous one committed and seeing it: compare-and-set and fencing checks are
 * linearizable. The process lock is what makes this hold on H2: there, a transaction that waited for the row lock
 * was seen to read the row as it was before the wait, even with {@code FOR UPDATE} (lost updates in
 * {@code CoordinationStoreTest}, about one run in several); H2 is embedded, so this process is its only writer. The row
 * lock keeps writers of several processes on one PostgreSQL apart. A refused write throws before anything is written
 * (the transaction rolls back, or, in a batch of key-value writes, that write alone writes nothing), with the reason as
 * the message. The lock is released once a commit is visible, before it is durable (see {@link #serializedIf}).
 */
final class Coordination {
    /** The longest a watch waits, in seconds. */
    static final int MAX_WAIT_S = 60;

    private final Store store;
    private final Journal journal;
    private final Clock clock;
    private final Changes changes = new Changes();
    private final ConcurrentHashMap<String, ReentrantLock> groups = new ConcurrentHashMap<>();
    private final KvBatches batches;

    Coordination(Store store, Journal journal, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.clock = clock;
        this.batches = new KvBatches(this, clock);
    }

    // --- key-value

    CoordViews.KvView get(CoordGroup group, KeyPath key) {
        return store.kv(group.key(), key.text()).filter(e -> !e.deleted()).map(Coordination::view)
                .orElseThrow(() -> Refusal.notFound("key " + key.text() + " not found in group " + group));
    }

    /**
     * Returns once the key's revision exceeds {@code index} (a tombstone for a delete), or after {@code waitS} seconds.
     * An absent key watched from before the group's compacted revision ({@link #compact}) may have been deleted after
     * {@code index} with its tombstone since removed: the answer is then at once a tombstone at the compacted revision.
     */
    CoordViews.KvView watch(CoordGroup group, KeyPath key, long index, int waitS) throws InterruptedException {
        long deadline = System.nanoTime() + Changes.nanos(waitS);
        while (true) {
            long seen = changes.version();
            Optional<KvEntry> e = store.kv(group.key(), key.text());
            // read after the key: a compaction that removed its tombstone committed the compacted revision with it
            long compacted = e.isEmpty() ? store.coordCompacted(group.key()) : 0;
            if (e.isEmpty() && compacted > index) return new CoordViews.KvView(key.text(), null, compacted, true);
            long rev = e.map(KvEntry::revision).orElse(0L);
            long left = deadline - System.nanoTime();
            if (rev > index || left <= 0) {
                return e.map(Coordination::view).orElse(new CoordViews.KvView(key.text(), null, 0, true));
            }
            changes.awaitAfter(seen, left);
        }
    }

    /**
     * Removes the group's tombstones more than {@code keep} revisions older than its revision (a delete's row is kept
     * that long so watches see it). Returns how many were removed.
     */
    int compact(String groupKey, long keep) {
        return serialized(groupKey, tx -> {
            long upTo = tx.lockCoordGroup(groupKey, 0) - keep;
            return upTo <= tx.coordCompacted(groupKey) ? 0 : tx.compactCoord(groupKey, upTo);
        });
    }

    /**
     * Live keys under {@code prefix}; with {@code index}, waits until some key under it changed after that revision
     * (answered at once when {@code index} is older than the group's compacted revision).
     */
    CoordViews.KvListView list(CoordGroup group, String prefix, Long index, int waitS) throws InterruptedException {
        long deadline = System.nanoTime() + Changes.nanos(waitS);
        while (true) {
            long seen = changes.version();
            // the compacted revision read after the keys, as in watch: from before it, a delete may have left no row
            var read = store.inTransaction(tx -> new Object[] {tx.coordRevision(group.key()), tx.kvs(group.key(), prefix),
                    index == null ? 0L : tx.coordCompacted(group.key())});
            @SuppressWarnings("unchecked")
            List<KvEntry> all = (List<KvEntry>) read[1];
            long left = deadline - System.nanoTime();
            if (index == null || left <= 0 || (Long) read[2] > index || all.stream().anyMatch(e -> e.revision() > index)) {
                return new CoordViews.KvListView(group.name(), group.project(), (Long) read[0], all.stream().filter(e -> !e.deleted()).map(Coordination::view).toList());
            }
            changes.awaitAfter(seen, left);
        }
    }

    /**
     * Writes {@code value} (null: deletes) if {@code cas} and {@code fence} allow; returns the entry written. Concurrent
     * writes of a group share transactions ({@link KvBatches}); each is checked and answered as if alone.
     */
    CoordViews.KvView write(CoordGroup group, KeyPath key, String value, Long cas, LeaseRules.Fence fence) {
        return view(batches.write(new KvBatches.Write(group.key(), key, value, cas, fence)));
    }

    // --- leases

    /** Acquires or renews {@code name} for {@code vm}, which must be a running member of {@code group}. */
    CoordViews.LeaseView acquire(CoordGroup group, String name, Vm vm, int ttlS) {
        requireHolder(group, vm);
        Instant now = clock.instant();
        var out = serialized(group.key(), tx -> {
            tx.lockCoordGroup(group.key(), 0);
            var result = LeaseRules.acquire(tx.lease(group.key(), name), group.key(), name, vm.id(), vm.name(), vm.host(), ttlS, now);
            switch (result) {
                case LeaseRules.Acquired.Busy b -> throw Refusal.conflict("lease " + name + " of group " + group + " is held by "
                        + b.lease().holderName() + " (token " + b.lease().token() + ") until " + b.lease().expiresAt());
                case LeaseRules.Acquired.Granted g -> {
                    tx.putLease(g.lease());
                    if (!g.renewed()) {
                        journal.record(tx, CoordEvent.LEASE_ACQUIRED, group + "/" + name, "lease " + name + " of group " + group
                                + " acquired by " + vm.name() + " on host " + vm.host() + " with token " + g.lease().token());
                    }
                    return g.lease();
                }
            }
        });
        journal.signal();
        return view(out, now);
    }

    /** Releases {@code name} if {@code vm} holds it; by an operator ({@code vm} null) whoever holds it. */
    CoordViews.LeaseView release(CoordGroup group, String name, Vm vm) {
        Instant now = clock.instant();
        Lease out = serialized(group.key(), tx -> {
            tx.lockCoordGroup(group.key(), 0);
            Lease cur = tx.lease(group.key(), name).orElseThrow(() -> Refusal.notFound("lease " + name + " not found in group " + group));
            if (!cur.heldAt(now)) return cur.freed();
            if (vm != null && !cur.holder().equals(vm.id())) {
                throw Refusal.conflict("lease " + name + " of group " + group + " is held by " + cur.holderName() + ", not " + vm.name());
            }
            tx.putLease(cur.freed());
            journal.record(tx, CoordEvent.LEASE_RELEASED, group + "/" + name, "lease " + name + " of group " + group + " released by "
                    + (vm == null ? "an operator" : vm.name()) + " (token " + cur.token() + ")");
            return cur.freed();
        });
        journal.signal();
        return view(out, now);
    }

    /**
     * Frees the lease if it is still held with {@code token}: the revoker's compare-and-set, so that a lease taken
     * meanwhile by a new holder is left alone. Returns whether it revoked.
     */
    boolean revoke(Lease seen, String reason) {
        Instant now = clock.instant();
        boolean done = serialized(seen.group(), tx -> {
            tx.lockCoordGroup(seen.group(), 0);
            Optional<Lease> cur = tx.lease(seen.group(), seen.name());
            if (cur.isEmpty() || !cur.get().heldAt(now) || cur.get().token() != seen.token()) return false;
            tx.putLease(cur.get().freed());
            journal.record(tx, CoordEvent.LEASE_REVOKED, seen.group() + "/" + seen.name(), "lease " + seen.name() + " of group "
                    + seen.group() + " revoked from " + seen.holderName() + " (token " + seen.token() + "): " + reason);
            return true;
        });
        if (done) journal.signal();
        return done;
    }

    List<CoordViews.LeaseView> leases(CoordGroup group) {
        Instant now = clock.instant();
        return store.leases(group == null ? null : group.key()).stream().map(l -> view(l, now)).toList();
    }

    CoordViews.LeaseView lease(CoordGroup group, String name) {
        return store.lease(group.key(), name).map(l -> view(l, clock.instant()))
                .orElseThrow(() -> Refusal.notFound("lease " + name + " not found in group " + group));
    }

    /** Wakes watches after a write commits; messages share it with key-value writes. */
    Changes changes() {
        return changes;
    }

    /**
     * Runs {@code work} in one store transaction while holding this process's lock of {@code group} (see the class
     * comment). The lock is released as soon as the transaction's commit is visible ({@link Store#afterVisible}), not
     * after the wait for the disk: the next writer of the group then starts from this commit, and the group's writes
     * share the store's syncs (group commit) instead of paying one sync each. The caller still returns only once its
     * own write is durable, and a sync covers every commit before it, so no answer is given for a write that a crash
     * could lose while a later one survived.
     */
    <T> T serialized(String group, Function<Store, T> work) {
        return serializedIf(group, () -> true, work);
    }

    /**
     * {@link #serialized}, but {@code needed} runs first under the lock, outside any transaction, and when it says
     * no, nothing else runs and this returns null. {@code needed} runs once per call, {@code work} maybe more often.
     */
    <T> T serializedIf(String group, BooleanSupplier needed, Function<Store, T> work) {
        Object[] out = {null};
        locked(group, true, needed, tx -> out[0] = work.apply(tx));
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    /**
     * {@link #serializedIf} if the group's lock is free now; false at once (nothing run) if another thread holds it.
     * For group commit: a writer whose write another one may carry waits for that instead of queueing on the lock.
     */
    boolean trySerializedIf(String group, BooleanSupplier needed, java.util.function.Consumer<Store> work) {
        return locked(group, false, needed, work);
    }

    private boolean locked(String group, boolean wait, BooleanSupplier needed, java.util.function.Consumer<Store> work) {
        ReentrantLock lock = groups.computeIfAbsent(group, g -> new ReentrantLock());
        boolean[] released = {false};
        if (wait) lock.lock();
        else if (!lock.tryLock()) return false;
        try {
            if (!needed.getAsBoolean()) return true;
            store.inWriteTransaction(tx -> {
                tx.afterVisible(() -> {
                    lock.unlock();
                    released[0] = true;
                });
                work.accept(tx);
                return null;
            });
            return true;
        } finally {
            if (!released[0]) lock.unlock();
        }
    }

    private static void requireHolder(CoordGroup group, Vm vm) {
        if (!group.labels(vm, CoordFeature.GROUP_LABEL)) {
            throw Refusal.conflict("VM " + vm.name() + " is not a member of group " + group + " (its label "
                    + CoordFeature.GROUP_LABEL + " is " + vm.labels().getOrDefault(CoordFeature.GROUP_LABEL, "not set")
                    + (vm.project().equals(group.project()) ? "" : ", in project " + vm.project()) + ")");
        }
        if (!(vm.state() instanceof VmState.Running) || vm.intent() != PowerIntent.RUNNING || vm.host() == null) {
            throw Refusal.conflict("VM " + vm.name() + " is " + vm.state().label() + " (intent " + vm.intent().label()
                    + "): only a running VM may hold a lease");
        }
    }

    private static CoordViews.KvView view(KvEntry e) {
        return new CoordViews.KvView(e.key(), e.value(), e.revision(), e.deleted());
    }

    private static CoordViews.LeaseView view(Lease l, Instant now) {
        boolean held = l.heldAt(now);
        CoordGroup g = CoordGroup.ofKey(l.group());
        return new CoordViews.LeaseView(g.name(), g.project(), l.name(), held ? l.holderName() : null, l.token(), l.ttlSeconds(),
                held ? l.expiresAt() : null);
    }

    /** A compare-and-set that did not match: a 409 that also carries the key's current revision. */
    static final class CasMismatch extends RuntimeException {
        final long current;

        CasMismatch(String message, long current) {
            super(message, null, false, false);
            this.current = current;
        }
    }
}
