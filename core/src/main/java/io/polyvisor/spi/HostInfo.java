package io.polyvisor.spi;

/** What a host says about itself. */
public record HostInfo(String hostname, String hypervisor, String version, int cpus, long memoryBytes) {}
