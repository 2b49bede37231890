package io.polyvisor.store;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The leases a write is made under (docs/CLUSTER.md, "Fenced writes"). Work run {@link #under} a fence commits a
 * write transaction only if, inside that same transaction just before it commits, the database shows every lease of
 * the fence held by {@code owner} at its epoch and unexpired by the database's clock; the check locks the lease
 * rows until the commit, so no takeover can commit in between. Otherwise the transaction rolls back and
 * {@link Refused} is thrown: a server that lost a lease (paused, cut off, slow) cannot write under its old epoch,
 * whatever its own clock and state believe. Reads are never fenced.
 *
 * <p>{@link #under} binds the fence to this thread only. {@link #inherited} binds it also to every thread this thread
 * creates meanwhile, and those threads' own (a leader's controllers, started under the leader term's fence, keep it on
 * their threads); a fence bound by {@code under} wins over an inherited one. A single server sets no fence.
 *
 * @param owner  the server name the leases must be held by
 * @param leases lease name to the epoch this work runs under; not empty
 */
public record WriteFence(String owner, Map<String, Long> leases) {
    private static final ThreadLocal<WriteFence> CURRENT = new ThreadLocal<>();
    private static final InheritableThreadLocal<WriteFence> INHERITED = new InheritableThreadLocal<>();

    public WriteFence {
        Objects.requireNonNull(owner, "owner");
        leases = Map.copyOf(leases);
        if (leases.isEmpty()) throw new IllegalArgumentException("a write fence needs at least one lease");
    }

    /** One lease at one epoch. */
    public static WriteFence of(String owner, String lease, long epoch) {
        return new WriteFence(owner, Map.of(lease, epoch));
    }

    /** The fence of this thread, or null. */
    public static WriteFence current() {
        WriteFence own = CURRENT.get();
        return own != null ? own : INHERITED.get();
    }

    /** Runs {@code work} with {@code fence} bound to this thread (none if null), restoring the previous one after. */
    public static <T> T under(WriteFence fence, Supplier<T> work) {
        return bound(CURRENT, fence, work);
    }

    /** Runs {@code work} with {@code fence} bound to this thread and inherited by the threads it creates meanwhile. */
    public static <T> T inherited(WriteFence fence, Supplier<T> work) {
        return bound(INHERITED, fence, work);
    }

    private static <T> T bound(ThreadLocal<WriteFence> where, WriteFence fence, Supplier<T> work) {
        WriteFence outer = where.get();
        where.set(fence);
        try {
            return work.get();
        } finally {
            if (outer == null) where.remove();
            else where.set(outer);
        }
    }

    public static void under(WriteFence fence, Runnable work) {
        under(fence, () -> {
            work.run();
            return null;
        });
    }

    /** A write refused because the database no longer shows its fence's leases held at their epochs; nothing was written. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
