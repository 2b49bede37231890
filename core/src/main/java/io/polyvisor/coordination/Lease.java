package io.polyvisor.coordination;

import java.time.Instant;
import java.util.UUID;

/**
 * A named lease of one group, as stored. The row outlives its holders: {@code token} is the last fencing token handed
 * out for this name, kept after a release so that the next holder gets a larger one.
 *
 * @param holder     the holding VM, or null when released or revoked
 * @param holderName the holding VM's name at acquisition (for views and events), null with holder
 * @param holderHost the host the holder ran on when it last acquired or renewed; a fence of that host revokes the lease
 * @param expiresAt  when the lease lapses unless renewed; meaningless without a holder
 */
public record Lease(String group, String name, UUID holder, String holderName, String holderHost, long token, int ttlSeconds,
                    Instant expiresAt) {

    /** Whether someone holds it at {@code now}: a holder, not yet expired. */
    public boolean heldAt(Instant now) {
        return holder != null && now.isBefore(expiresAt);
    }

    public boolean heldBy(UUID vm, Instant now) {
        return heldAt(now) && holder.equals(vm);
    }

    /** The same lease with nobody holding it; the token stays. */
    public Lease freed() {
        return new Lease(group, name, null, null, null, token, ttlSeconds, expiresAt);
    }
}
