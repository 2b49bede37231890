package io.polyvisor.groups;

/** A group's HAProxy could not be started (its message says why, from HAProxy's own output); nothing was left running. */
final class BalancerFailed extends RuntimeException {
    BalancerFailed(String message) {
        super(message, null, false, false);
    }
}
