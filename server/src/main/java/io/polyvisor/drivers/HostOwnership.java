package io.polyvisor.drivers;

/**
 * Which hosts this server drives (probing, observing, HA detection), and whether it runs the cluster-wide controllers.
 * A single server owns every host and leads; in a cluster, hosts are split by leases (docs/CLUSTER.md) and
 * {@link #owns} turns false as soon as this server may no longer be sure it holds the host's lease.
 */
public interface HostOwnership {
    boolean owns(String host);

    /**
     * The fence for writes made now about {@code hosts} (their observed state, HA's judgement of them): in a cluster,
     * their leases at the epochs held here, so the database refuses those writes once any of the leases is lost
     * (a host not owned here gets epoch -1: refused); null for a single server, whose writes are never fenced.
     */
    default io.polyvisor.store.WriteFence fence(java.util.Collection<String> hosts) {
        return null;
    }

    /** One server for the whole database: every host is its own. */
    HostOwnership ALL = host -> true;
}
