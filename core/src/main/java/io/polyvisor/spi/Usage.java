package io.polyvisor.spi;

/**
 * Measured usage over the last sampling interval.
 *
 * @param cpuCores     CPU in use, in cores (1.5 = one and a half cores busy)
 * @param memoryBytes  memory in use
 * @param dirtyBytesPerSec memory dirty rate where the driver knows it, else -1
 */
public record Usage(double cpuCores, long memoryBytes, long dirtyBytesPerSec) {
    public static final Usage ZERO = new Usage(0, 0, -1);
}
