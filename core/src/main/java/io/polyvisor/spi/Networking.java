package io.polyvisor.spi;

import java.util.Optional;

/**
 * Optional capability: private networks on this host. Polyvisor's own inventory says which networks a host
 * carries and who its peers are; the driver makes the host match. A VM's NIC on a network can be defined on
 * a host only once that network is {@link #ensure ensured} there ({@link Compute#define} refuses it otherwise,
 * not retryable).
 */
public interface Networking {
    /** The address this host's VXLAN endpoints use on the underlay (a host setting), or empty if it has none. */
    Optional<String> underlay();

    /**
     * Makes the network present on this host exactly as described (its bridge, its VXLAN device with id = VNI, and
     * forwarding to exactly {@code net.peers()}). Idempotent; converges a host that differs. Checks everything it can
     * before changing anything, so a refusal leaves the host as it was.
     *
     * @throws DriverException if the host has no underlay address, or a host-side command failed
     */
    void ensure(HostNetwork net);

    /** Removes the network (by VNI) from this host; a no-op if it is absent. NICs still on it lose their link. */
    void remove(int vni);

    /**
     * Replaces this host's filter for its guests' private addresses with {@code firewall} (security groups resolved to
     * addresses: stateful, ingress default deny for a guarded address, egress limited where the guard says so, guarded
     * NICs pinned to their MAC and address). Atomic on the host: the old filter stays until the new one is whole.
     * {@link io.polyvisor.network.HostFirewall#NONE} removes it. Idempotent. The first call through a connection
     * replaces (or, with NONE, removes) whatever filter an earlier process left on the host.
     */
    void firewall(io.polyvisor.network.HostFirewall firewall);

    /**
     * Plugs {@code nic} (a private network's NIC with its MAC and address) into VM {@code vm} on this host: live and in
     * its definition when it runs (hot plug), in its definition only when it is shut off. The network must be
     * {@link #ensure ensured} here first (else a non-retryable refusal, nothing changed). Idempotent: a NIC with that
     * MAC already plugged is left as it is.
     *
     * @throws DriverException if the VM is not on this host or the hypervisor refused
     */
    void attachNic(java.util.UUID vm, io.polyvisor.model.Nic nic);

    /**
     * Unplugs the NIC with {@code nic}'s MAC from VM {@code vm} (live and from its definition, as for {@link #attachNic}).
     * A no-op if the VM has no such NIC.
     */
    void detachNic(java.util.UUID vm, io.polyvisor.model.Nic nic);

    /** The VNIs of the private networks present on this host (whoever made them: a host may outlive a server). */
    java.util.Set<Integer> vnis();
}
