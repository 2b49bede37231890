package io.polyvisor.autoscale;

import java.time.Instant;

/** The member count the metric asked for at one evaluation (within min and max): the stabilisation windows' history. */
public record Recommendation(Instant at, int count) {}
