package io.polyvisor.ha;

/** How a fence attempt on a host ended. Only {@link Fenced} allows its VMs to be restarted elsewhere. */
public sealed interface FenceOutcome {
    /** {@code method} is what worked, e.g. {@code driver} or {@code fence_ipmilan}. */
    record Fenced(String method) implements FenceOutcome {}

    /** Every method failed (or none is configured); {@code reason} lists why, method by method. */
    record Failed(String reason) implements FenceOutcome {}
}
