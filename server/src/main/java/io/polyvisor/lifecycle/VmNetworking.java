package io.polyvisor.lifecycle;

import io.polyvisor.model.Vm;
import io.polyvisor.model.VmSpec;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.store.Store;

import java.util.UUID;

/**
 * What the lifecycle asks of private networks (the networks feature implements it): addresses for a new VM's NICs,
 * inside the create's transaction, and a host made ready for a VM's NICs before the VM is defined, started or
 * migrated there.
 */
public interface VmNetworking {
    /**
     * The spec with every private NIC's MAC and address filled in (given ones checked, missing ones chosen), for a VM
     * of {@code project}: a network of another project is refused. Reads only; throws
     * {@link io.polyvisor.model.InvalidInput} or {@link io.polyvisor.model.Refusal} with the reason.
     */
    VmSpec assign(Store tx, UUID vm, String project, VmSpec spec);

    /** Records the addresses of {@code vm} (already inserted); a {@link Store.Conflict} if one is taken. */
    void reserve(Store tx, Vm vm);

    /**
     * Makes {@code vm} (already inserted) a member of each security group named, in the create's transaction; a
     * not-found refusal naming the first group that does not exist.
     */
    void join(Store tx, Vm vm, java.util.List<String> secgroups);

    /** Makes {@code host} carry every network the VM has a NIC on. Idempotent; throws a DriverException if it cannot. */
    void prepare(Vm vm, HostConnection host);
}
