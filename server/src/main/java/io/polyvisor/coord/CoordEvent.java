package io.polyvisor.coord;

import io.polyvisor.events.EventType;

/** What coordination records (key-value writes are not events: they are many, and their revisions are their log). */
public enum CoordEvent implements EventType {
    /** A VM became a lease's holder, with a new fencing token (renewals are not recorded). */
    LEASE_ACQUIRED("lease.acquired"),
    LEASE_RELEASED("lease.released"),
    /** The server freed a lease before its TTL: its holder stopped, was deleted or failed, or its host was fenced. */
    LEASE_REVOKED("lease.revoked"),
    /** A VM's coordination token was minted or replaced (the token itself is never recorded). */
    VM_COORD_TOKEN("vm.coord-token"),
    /** A VM's user data was set or removed (its size is recorded, never its text). */
    VM_USER_DATA("vm.user-data"),
    /** The guest API's per-VM rate limit was changed. */
    COORD_SETTINGS("coord.settings");

    private final String wireName;

    CoordEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
