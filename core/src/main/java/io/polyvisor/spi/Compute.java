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
