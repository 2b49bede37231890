package io.polyvisor.libvirt;

import io.polyvisor.spi.PowerState;
import org.libvirt.event.DomainEventType;

import java.util.Locale;
import java.util.Optional;

/**
 * What a libvirt lifecycle event means for a VM's power state. Pure. Events that do not change the
 * power state (DEFINED, SHUTDOWN — the guest is still shutting down) map to empty; UNDEFINED maps to a
 * null state, as {@link io.polyvisor.spi.DomainEvent} defines.
 *
 * <pre>
 *   STARTED, RESUMED             -> RUNNING   (reason: booted, migrated, unpaused, ...)
 *   SUSPENDED, PMSUSPENDED       -> PAUSED
 *   STOPPED  shutdown|destroyed|migrated|saved|from_snapshot -> SHUTOFF
 *   STOPPED  crashed|failed      -> CRASHED   (QEMU died: killed, or the emulator failed)
 *   CRASHED                      -> CRASHED
 *   UNDEFINED                    -> null      (gone from the host)
 * </pre>
 */
final class EventMapping {
    /** The new state ({@code null} = undefined) and a short lower-case reason such as {@code destroyed}. */
    record Change(PowerState state, String reason) {}

    private EventMapping() {}

    static Optional<Change> of(DomainEventType type, Enum<?> detail) {
        var reason = type.name().toLowerCase(Locale.ROOT) + (detail == null ? "" : ": " + detail.name().toLowerCase(Locale.ROOT));
        var d = detail == null ? "" : detail.name();
        return Optional.ofNullable(switch (type) {
            case STARTED, RESUMED -> new Change(PowerState.RUNNING, reason);
            case SUSPENDED, PMSUSPENDED -> new Change(PowerState.PAUSED, reason);
            case STOPPED -> new Change(d.equals("CRASHED") || d.equals("FAILED") ? PowerState.CRASHED : PowerState.SHUTOFF, reason);
            case CRASHED -> new Change(PowerState.CRASHED, reason);
            case UNDEFINED -> new Change(null, reason);
            case DEFINED, SHUTDOWN, UNKNOWN -> null;
        });
    }
}
