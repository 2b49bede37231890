package io.polyvisor.access;

import java.util.Locale;

/**
 * The kinds of object besides VMs that belong to a project: who may see and change one is decided by its project, as
 * for a VM ({@link Principal#sees}). An object recorded with no owner belongs to {@code default}.
 */
public enum Owned {
    NETWORK,
    VOLUME,
    GROUP;

    /** {@code network}, {@code volume}, {@code group}: the word users read and the store's key. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
