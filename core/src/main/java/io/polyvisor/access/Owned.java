package io.polyvisor.access;

import java.util.Locale;

/**
 * The kinds of object besides VMs that belong to a project: who may see and change one is decided by its project, as
 * for a VM ({@link Principal#sees}). An object recorded with no owner belongs to {@code default}.
 */
public enum Owned {
    NETWORK("network"),
    VOLUME("volume"),
    GROUP("group"),
    TEMPLATE("template"),
    SECGROUP("security group");

    private final String noun;

    Owned(String noun) {
        this.noun = noun;
    }

    /** {@code network}, {@code volume}, {@code group}, {@code template}, {@code secgroup}: the store's key. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The word users read in messages: {@code security group} for {@link #SECGROUP}, else {@link #label()}. */
    public String noun() {
        return noun;
    }
}
