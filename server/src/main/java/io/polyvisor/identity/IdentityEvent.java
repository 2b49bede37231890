package io.polyvisor.identity;

import io.polyvisor.events.EventType;

/** What users and projects record (never a token; the audit journal has every request, these the changes). */
public enum IdentityEvent implements EventType {
    USER_CREATED("user.created"),
    /** A user's token was replaced: the old one stopped working. */
    USER_ROTATED("user.rotated"),
    USER_REVOKED("user.revoked"),
    PROJECT_CREATED("project.created"),
    /** A project's quota changed. */
    PROJECT_UPDATED("project.updated"),
    PROJECT_DELETED("project.deleted");

    private final String wireName;

    IdentityEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
