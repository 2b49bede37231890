package io.polyvisor.cluster;

import io.polyvisor.leases.LeaseNames;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;
import io.polyvisor.tasks.TaskClaims;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A task belongs to the owner of its host's lease: the target host for create, restart and fence, the VM's current
 * host for everything else (the source of a migration), the leader's lease when there is none. The claim carries the
 * lease's epoch; {@link Claim#verify} checks it here (trusted, same epoch) and in the database (unexpired, same owner
 * and epoch, row locked FOR KEY SHARE until the write's transaction ends).
 */
final class LeaseClaims implements TaskClaims {
    private final Membership membership;
    private final Store store;

    LeaseClaims(Membership membership, Store store) {
        this.membership = membership;
        this.store = store;
    }

    /** The host whose owner runs {@code t}, or null for the leader. */
    static String hostOf(Task t, Optional<Vm> vm) {
        return switch (t.kind()) {
            case CREATE, RESTART, FENCE -> t.target();
            default -> vm.map(Vm::host).orElse(null);
        };
    }

    @Override
    public Optional<Claim> claim(Task task) {
        String host = hostOf(task, task.vmId() == null ? Optional.empty() : store.vm(task.vmId()));
        String lease = host == null ? LeaseNames.LEADER : LeaseNames.host(host);
        OptionalLong epoch = membership.active(lease);
        if (epoch.isEmpty()) return Optional.empty();
        membership.running(lease, 1);
        return Optional.of(new LeaseClaim(lease, epoch.getAsLong()));
    }

    private final class LeaseClaim implements Claim {
        private final String lease;
        private final long epoch;
        private boolean closed;

        LeaseClaim(String lease, long epoch) {
            this.lease = lease;
            this.epoch = epoch;
        }

        @Override
        public void verify(Store tx) {
            if (!membership.stillHolds(lease, epoch)) {
                throw new Lost("lease " + lease + " (epoch " + epoch + ") is no longer held or trusted by " + membership.name());
            }
            if (!tx.holdsLease(lease, membership.name(), epoch)) {
                throw new Lost("the database refuses epoch " + epoch + " of lease " + lease + " for " + membership.name());
            }
        }

        @Override
        public io.polyvisor.store.WriteFence fence() {
            return io.polyvisor.store.WriteFence.of(membership.name(), lease, epoch);
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            membership.running(lease, -1);
        }
    }
}
