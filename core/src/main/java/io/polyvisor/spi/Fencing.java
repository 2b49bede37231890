package io.polyvisor.spi;

import java.util.UUID;

/**
 * Optional capability: make sure something no longer runs. A method that returns normally guarantees
 * it; one that cannot guarantee it throws.
 */
public interface Fencing {
    /** Forces the VM off on this host (destroy); succeeds if it is already off or unknown. */
    void fenceVm(UUID id);

    /** Powers the whole host off (or cuts it off) so none of its VMs run. */
    void fenceHost();
}
