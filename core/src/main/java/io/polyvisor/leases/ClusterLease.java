package io.polyvisor.leases;

/**
 * A row of the lease table: {@code owner} holds {@code name} until the database's clock passes its expiry,
 * {@code remainingMillis} from the moment it was read (negative once expired). {@code epoch} grows by one at every
 * acquisition, never at a renewal, so a write carrying an older epoch comes from a holder that lost the lease.
 */
public record ClusterLease(String name, String owner, long epoch, long remainingMillis) {
    public boolean live() {
        return remainingMillis > 0;
    }
}
