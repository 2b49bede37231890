package io.polyvisor.leases;

import java.time.Instant;

/**
 * A server in the membership table. {@code heartbeatAgeMillis} is measured by the database's clock (now minus the
 * last heartbeat), so servers whose clocks differ agree on it; {@code epoch} grows by one each time a server of this
 * name starts.
 */
public record Member(String name, String address, Instant started, Instant heartbeat, long heartbeatAgeMillis, long epoch) {
    /** Alive while its last heartbeat is younger than the lease time to live. */
    public boolean alive(long ttlMillis) {
        return heartbeatAgeMillis < ttlMillis;
    }
}
