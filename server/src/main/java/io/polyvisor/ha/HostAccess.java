package io.polyvisor.ha;

import io.polyvisor.spi.HostConnection;

import java.util.Optional;

/**
 * How HA reaches hosts: in the server, the watch connections of the one pool ({@code drivers.Connections#watch}), kept
 * across outages for fencing; in tests, the simulator's connections.
 */
public interface HostAccess {
    /** The connection to {@code host}, connecting if needed; throws a retryable DriverException if unreachable. */
    HostConnection connect(String host);

    /** A connection to {@code host} if one is open (the watch connection first); never connects (so never hangs on a dead host). */
    Optional<HostConnection> open(String host);
}
