package io.polyvisor.spi;

import java.util.UUID;

/** Optional capability: forward a host loopback port to a guest TCP port (user-mode networking). */
public interface GuestAccess {
    /**
     * Forwards {@code 127.0.0.1:hostPort} to the guest's {@code guestPort}. Idempotent for the same pair.
     * The forward lives as long as the VM's process on this host (it must be re-applied after migration).
     *
     * @throws DriverException (not retryable) if this host does not know the VM
     */
    void forward(UUID id, int hostPort, int guestPort);
}
