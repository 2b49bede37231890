package io.polyvisor.linearizability;

import java.util.Optional;

/**
 * A sequential specification: the object's initial state and what one operation does to it. States must be values
 * (equal when they mean the same, with a matching {@code hashCode}): the checker caches the states it has seen.
 *
 * @param <S> the object's state
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public interface Model<S, I, O> {
    S init();

    /**
     * The state after {@code input} was applied to {@code state} and answered {@code output}; empty when that answer
     * is impossible from that state (so the operation cannot be linearized here).
     */
    Optional<S> step(S state, I input, O output);

    /**
     * The part of the object {@code input} touches (P-compositionality): operations on different parts never affect
     * each other, so each part's sub-history is checked on its own, from {@link #init()}. A history is linearizable if
     * and only if each part's is (Herlihy and Wing's locality). One part for everything by default.
     */
    default Object partition(I input) {
        return "";
    }
}
