package io.polyvisor.spi;

import java.util.UUID;
import java.util.function.DoubleConsumer;

/**
 * Optional capability: live migration to another host of the same driver. On success the VM runs on
 * {@code destination} and is gone from this host (definition included). On failure it still runs here.
 */
public interface Migration {
    /**
     * @param progress receives the fraction done, 0 to 1 and never decreasing, from the migrating thread;
     *                 a successful migration reports 1 last
     * @throws DriverException if the destination is not a host of the same driver, or the migration failed;
     *                         not retryable if this host does not know the VM
     */
    MigrationResult migrate(UUID id, HostConnection destination, DoubleConsumer progress);
}
