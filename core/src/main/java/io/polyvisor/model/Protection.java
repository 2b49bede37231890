package io.polyvisor.model;

import java.util.Locale;

/** What high availability does for a VM when it or its host fails. */
public enum Protection {
    /** Nothing: a failed VM is reported and stays failed. */
    NONE,
    /** Restarted on a surviving host, after its old host is fenced, in priority order. */
    RESTART,
    /** A second instance runs on another host; the service endpoint moves to it on failure. */
    STANDBY;

    public static Protection parse(String text) {
        if (text == null) return NONE;
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "restart" -> RESTART;
            case "standby" -> STANDBY;
            default -> throw new InvalidInput("protection must be one of none, restart, standby, got '" + Strings.printable(text) + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
