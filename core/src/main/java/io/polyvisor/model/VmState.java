package io.polyvisor.model;

import java.util.Locale;

/**
 * The observed state of a VM as Polyvisor knows it. Legal moves are defined here and nowhere else:
 * {@link #to(VmState)} refuses an illegal one with {@link IllegalTransition}.
 *
 * <pre>
 *   Pending ─► Stopped ◄──► Running ◄──► Paused
 *      │          │           │   ▲         │
 *      │          │           ▼   │         │
 *      │          │        Migrating ◄──────┘
 *      ▼          ▼           ▼
 *   Deleted ◄── Failed ◄── (any live state) ──► Unknown (host unreachable)
 * </pre>
 * Moving to the state one is already in is always allowed (observations repeat).
 */
public sealed interface VmState {

    /** Accepted by the API, not yet defined on any host. */
    record Pending() implements VmState {}

    /** Defined on its host, powered off. */
    record Stopped() implements VmState {}

    record Running() implements VmState {}

    /** Suspended in memory. */
    record Paused() implements VmState {}

    /** Live migration to host {@code to} in progress. */
    record Migrating(String to) implements VmState {}

    /** Crashed, or its host failed; {@code reason} says which. */
    record Failed(String reason) implements VmState {}

    /** Its host cannot be reached; it may still be running there. */
    record Unknown(String reason) implements VmState {}

    /** Gone from its host and from Polyvisor. Terminal. */
    record Deleted() implements VmState {}

    VmState PENDING = new Pending();
    VmState STOPPED = new Stopped();
    VmState RUNNING = new Running();
    VmState PAUSED = new Paused();
    VmState DELETED = new Deleted();

    /** Lower-case name shown to users: {@code running}, {@code migrating}, ... */
    default String label() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** Whether moving from this state to {@code next} is legal. */
    default boolean canBecome(VmState next) {
        if (next.getClass() == getClass()) return !(this instanceof Deleted) || next instanceof Deleted;
        return switch (this) {
            case Pending p -> next instanceof Stopped || next instanceof Running || next instanceof Failed || next instanceof Deleted;
            case Stopped s -> next instanceof Running || next instanceof Deleted || next instanceof Failed
                    || next instanceof Unknown || next instanceof Pending || next instanceof Migrating;
            case Running r -> next instanceof Stopped || next instanceof Paused || next instanceof Migrating
                    || next instanceof Failed || next instanceof Unknown;
            case Paused p -> next instanceof Running || next instanceof Stopped || next instanceof Migrating
                    || next instanceof Failed || next instanceof Unknown;
            case Migrating m -> next instanceof Running || next instanceof Paused || next instanceof Stopped
                    || next instanceof Failed || next instanceof Unknown;
            case Failed f -> next instanceof Pending || next instanceof Running || next instanceof Stopped || next instanceof Deleted;
            case Unknown u -> next instanceof Running || next instanceof Stopped || next instanceof Paused
                    || next instanceof Failed || next instanceof Pending;
            case Deleted d -> false;
        };
    }

    /** Returns {@code next} if the move is legal, else throws {@link IllegalTransition}. */
    default VmState to(VmState next) {
        if (!canBecome(next)) throw new IllegalTransition(this, next);
        return next;
    }

    /** Parses a label written by {@link #label()}; {@code detail} fills the record component where there is one. */
    static VmState parse(String label, String detail) {
        return switch (label) {
            case "pending" -> PENDING;
            case "stopped" -> STOPPED;
            case "running" -> RUNNING;
            case "paused" -> PAUSED;
            case "migrating" -> new Migrating(detail);
            case "failed" -> new Failed(detail);
            case "unknown" -> new Unknown(detail);
            case "deleted" -> DELETED;
            default -> throw new IllegalArgumentException("not a VM state: " + label);
        };
    }

    /** The record component of states that carry one, else null. */
    default String detail() {
        return switch (this) {
            case Migrating m -> m.to();
            case Failed f -> f.reason();
            case Unknown u -> u.reason();
            default -> null;
        };
    }

    /** Thrown for a move the state machine forbids: a bug in the caller, or a race the caller must re-read. */
    final class IllegalTransition extends IllegalStateException {
        public IllegalTransition(VmState from, VmState to) {
            super("a VM cannot go from " + from.label() + " to " + to.label());
        }
    }
}
