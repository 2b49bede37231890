package io.polyvisor.placement;

/**
 * Chooses a host for a VM. Pure: a function of the snapshot and the request, no I/O, no clock,
 * safe to call from any thread.
 */
@FunctionalInterface
public interface Placer {
    Placement place(ClusterSnapshot snapshot, PlacementRequest request);
}
