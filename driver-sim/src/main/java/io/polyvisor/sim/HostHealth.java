package io.polyvisor.sim;

/** A simulated host's condition, as the failure-injection API set it. */
public enum HostHealth {
    /** Answers calls; its VMs run. */
    UP,
    /** Cut off from the control plane: calls fail as unreachable, yet its VMs keep running (and keep their state). */
    PARTITIONED,
    /** Powered off: calls fail as unreachable and it holds no VMs. Comes back empty with {@link SimDatacenter#recover}. */
    CRASHED
}
