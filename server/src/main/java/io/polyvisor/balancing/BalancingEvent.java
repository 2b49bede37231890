package io.polyvisor.balancing;

import io.polyvisor.events.EventType;

/** What the balancer records. */
public enum BalancingEvent implements EventType {
    /** A maintenance host is being emptied, or cannot be yet. */
    BALANCE_EVACUATE("balance.evacuate"),
    /** The controller carried out (part of) a plan at its automation level. */
    BALANCE_PLAN("balance.plan"),
    BALANCE_SETTINGS("balance.settings");

    private final String wireName;

    BalancingEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
