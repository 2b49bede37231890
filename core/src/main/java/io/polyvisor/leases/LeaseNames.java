package io.polyvisor.leases;

/**
 * Names of the rows in the lease table: one cluster-wide leader lease and one ownership lease per host. Host names
 * are at most 63 characters, so a host lease name fits the table's 80.
 */
public final class LeaseNames {
    private LeaseNames() {}

    /** The lease whose holder runs the cluster-wide controllers (balancer, groups, retention). */
    public static final String LEADER = "leader";

    public static String host(String host) {
        return "host:" + host;
    }

    /** The host a host lease is for, or null for any other lease. */
    public static String hostOf(String lease) {
        return lease.startsWith("host:") ? lease.substring(5) : null;
    }
}
