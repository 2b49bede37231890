package io.polyvisor.model;

import java.util.Locale;

/** The desired power state the API records and the lifecycle controller drives a VM to. */
public enum PowerIntent {
    RUNNING, STOPPED, PAUSED, DELETED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
