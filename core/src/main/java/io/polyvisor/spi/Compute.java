package io.polyvisor.spi;

import io.polyvisor.model.VmSpec;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Mandatory capability: VM lifecycle on one host. Every mutating call is idempotent with respect to
 * the VM's UUID, so a controller that crashed mid-call may simply call again:
 * <ul>
 *   <li>{@link #define} of an already-defined UUID returns it unchanged (a different spec is not applied);</li>
 *   <li>{@link #start} of a running VM, {@link #destroy} of a stopped one and {@link #undefine} of an
 *       unknown one succeed without doing anything.</li>
 * </ul>
 * Calls on a UUID the host does not know (other than undefine) throw {@link DriverException} with
 * {@code retryable() == false}. An unreachable host throws with {@code retryable() == true}.
 */
public interface Compute {
    List<DomainInfo> list();

    Optional<DomainInfo> lookup(UUID id);

    /** Defines (does not start) a VM named {@code name} from {@code spec}. */
    DomainInfo define(UUID id, String name, VmSpec spec);

    /**
     * As {@link #define(UUID, String, VmSpec)}, and hands {@code data} to this instance through a channel only it
     * sees (see {@link GuestData}); an already-defined UUID keeps the data it was defined with. A driver without such
     * a channel ignores {@code data}: {@link #guestDataChannel()} says which.
     */
    default DomainInfo define(UUID id, String name, VmSpec spec, GuestData data) {
        return define(id, name, spec);
    }

    /** Where guests of this driver read {@link GuestData} ({@code "fw_cfg"}), or null when they cannot. */
    default String guestDataChannel() {
        return null;
    }

    void start(UUID id);

    /** Asks the guest to power off (ACPI); returns at once. Use {@link #destroy} to force. */
    void shutdown(UUID id);

    /** Powers off at once, like pulling the plug. */
    void destroy(UUID id);

    void reboot(UUID id);

    void suspend(UUID id);

    void resume(UUID id);

    /** Removes the definition; the VM must be off. */
    void undefine(UUID id);
}
