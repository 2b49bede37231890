package io.polyvisor.balance;

/**
 * Estimated live-migration time: memory / (bandwidth - dirty rate). Pre-copy does not converge when the
 * guest dirties memory as fast as the link copies it, so such a VM costs {@link Double#POSITIVE_INFINITY}
 * and is never chosen.
 */
final class MigrationCost {
    private MigrationCost() {}

    static double seconds(long memoryBytes, long dirtyBytesPerSec, double bandwidthBytesPerSec) {
        double effective = bandwidthBytesPerSec - Math.max(0, dirtyBytesPerSec);
        return effective <= 0 ? Double.POSITIVE_INFINITY : memoryBytes / effective;
    }
}
