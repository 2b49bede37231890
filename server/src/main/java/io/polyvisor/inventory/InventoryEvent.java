package io.polyvisor.inventory;

import io.polyvisor.events.EventType;

/** What host registration and the host monitor record (besides {@link io.polyvisor.events.SharedEvent}). */
public enum InventoryEvent implements EventType {
    HOST_ADDED("host.added"),
    HOST_REMOVED("host.removed"),
    /** A host connected, disconnected, failed, or entered or left maintenance. */
    HOST_STATE("host.state");

    private final String wireName;

    InventoryEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
