package io.polyvisor.ha;

import java.util.Locale;

/**
 * What high availability knows about one host. Only fencing turns "unreachable" into "dead":
 *
 * <pre>
 *   Healthy ◄──► Suspect ◄──► Unreachable ──fence──► Fencing ──ok──► Dead ──heartbeats──► Rejoining ──► Healthy
 *      ▲                          │                     │                                     ▲
 *      └───── heartbeats ─────────┘                     └─failed─► FenceFailed ─heartbeats─────┘
 *                                                                     │  ▲
 *                                                                     └──┘ fence retried after a backoff
 * </pre>
 * A {@code Dead} host's VMs are proven stopped and may be restarted elsewhere; a {@code FenceFailed}
 * host's VMs might still run, so they are reported and never restarted. {@code sinceMillis} is when
 * the host entered the state (caller's monotonic clock).
 */
public sealed interface HostHealth {
    long sinceMillis();

    record Healthy(long sinceMillis) implements HostHealth {}

    record Suspect(long sinceMillis) implements HostHealth {}

    /** Presumed failed, not yet fenced: its VMs may still run. */
    record Unreachable(long sinceMillis) implements HostHealth {}

    /** A fence attempt is under way. */
    record Fencing(long sinceMillis) implements HostHealth {}

    /** Fenced by {@code method}: nothing of it runs any more. */
    record Dead(long sinceMillis, String method) implements HostHealth {}

    /** Every fence method failed; {@code reason} says how. Its VMs are stranded until a fence succeeds or it returns. */
    record FenceFailed(long sinceMillis, String reason) implements HostHealth {}

    /** Answering again after Dead or FenceFailed; stale domains must be cleaned before it takes VMs. */
    record Rejoining(long sinceMillis) implements HostHealth {}

    default String label() {
        return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Whether VMs may be placed on the host. */
    default boolean schedulable() {
        return this instanceof Healthy;
    }

    /** Whether the host's VMs are proven not to run (so they may be restarted elsewhere). */
    default boolean fenced() {
        return this instanceof Dead;
    }

    /**
     * The next state given the detector's current {@code suspicion}. Fencing, Dead and FenceFailed ignore
     * suspicion except that heartbeats (HEALTHY) move Dead and FenceFailed to Rejoining; a fence in
     * progress is never interrupted. Returns {@code this} when nothing changes.
     */
    default HostHealth observe(Suspicion suspicion, long nowMillis) {
        return switch (this) {
            case Healthy h -> fromSuspicion(suspicion, nowMillis);
            case Suspect s -> fromSuspicion(suspicion, nowMillis);
            case Unreachable u -> fromSuspicion(suspicion, nowMillis);
            case Fencing f -> this;
            case Dead d -> suspicion == Suspicion.HEALTHY ? new Rejoining(nowMillis) : this;
            case FenceFailed f -> suspicion == Suspicion.HEALTHY ? new Rejoining(nowMillis) : this;
            case Rejoining r -> suspicion == Suspicion.UNREACHABLE ? new Unreachable(nowMillis) : this;
        };
    }

    private HostHealth fromSuspicion(Suspicion suspicion, long nowMillis) {
        HostHealth same = switch (suspicion) {
            case HEALTHY -> this instanceof Healthy ? this : new Healthy(nowMillis);
            case SUSPECT -> this instanceof Suspect ? this : new Suspect(nowMillis);
            case UNREACHABLE -> this instanceof Unreachable ? this : new Unreachable(nowMillis);
        };
        return same;
    }

    /** The state after a fence attempt that ended with {@code outcome}. */
    static HostHealth afterFence(FenceOutcome outcome, long nowMillis) {
        return switch (outcome) {
            case FenceOutcome.Fenced f -> new Dead(nowMillis, f.method());
            case FenceOutcome.Failed f -> new FenceFailed(nowMillis, f.reason());
        };
    }
}
