package io.polyvisor.spi;

import java.time.Instant;
import java.util.UUID;

/** A lifecycle change pushed by a driver. {@code state} is null when the domain was undefined. */
public record DomainEvent(UUID id, PowerState state, String reason, Instant at) {}
