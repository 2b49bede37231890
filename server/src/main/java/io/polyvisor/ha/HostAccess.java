package io.polyvisor.ha;

import io.polyvisor.spi.HostConnection;

import java.util.Optional;

/** How HA reaches hosts: the server's connection pool. */
public interface HostAccess {
    /** The connection to {@code host}, connecting if needed; throws a retryable DriverException if unreachable. */
    HostConnection connect(String host);

    /** The connection if one is open; never connects (so never hangs on a dead host). */
    Optional<HostConnection> open(String host);

    /**
     * Forgets the connection to {@code host} (closing it in the background) so that the next
     * {@link #connect} opens a fresh one. Used only for a connection that never answered.
     */
    default void reopen(String host) {}
}
