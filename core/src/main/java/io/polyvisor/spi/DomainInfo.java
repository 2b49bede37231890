package io.polyvisor.spi;

import java.util.UUID;

/** One VM as a driver sees it on its host. */
public record DomainInfo(UUID id, String name, PowerState state, int vcpus, long memoryBytes) {}
