package io.polyvisor.spi;

import java.util.Map;
import java.util.UUID;

/** Optional capability: usage figures. CPU figures are averages since the previous call on this connection. */
public interface Stats {
    Usage host();

    /** Usage of every running VM on the host. */
    Map<UUID, Usage> vms();
}
