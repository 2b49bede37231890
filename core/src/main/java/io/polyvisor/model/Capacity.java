package io.polyvisor.model;

/** CPU and memory of a host, or used by a VM. */
public record Capacity(int cpus, long memoryBytes) {
    public Capacity {
        InvalidInput.require(cpus >= 0, "cpus must not be negative, got " + cpus);
        InvalidInput.require(memoryBytes >= 0, "memory must not be negative, got " + memoryBytes);
    }
}
