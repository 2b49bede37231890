package io.polyvisor.retention;

import io.polyvisor.events.EventType;

/** What retention records: one event per pass that removed something, with the counts. */
public enum RetentionEvent implements EventType {
    RETENTION_PRUNED("retention.pruned"),
    RETENTION_CHANGED("retention.changed");

    private final String wireName;

    RetentionEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
