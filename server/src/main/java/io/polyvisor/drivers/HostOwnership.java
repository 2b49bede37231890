package io.polyvisor.drivers;

/**
 * Which hosts this server drives (probing, observing, HA detection), and whether it runs the cluster-wide controllers.
 * A single server owns every host and leads; in a cluster, hosts are split by leases (docs/CLUSTER.md) and
 * {@link #owns} turns false as soon as this server may no longer be sure it holds the host's lease.
 */
public interface HostOwnership {
    boolean owns(String host);

    /** One server for the whole database: every host is its own. */
    HostOwnership ALL = host -> true;
}
