package io.polyvisor.groups;

import io.polyvisor.events.EventType;

/** What the groups feature records. */
public enum GroupsEvent implements EventType {
    GROUP_CREATED("group.created"),
    GROUP_UPDATED("group.updated"),
    /** The group is being removed (its members drain and go), or is gone. */
    GROUP_DELETED("group.deleted"),
    /** The policy launched or removed members; the message carries its reason. */
    GROUP_SCALED("group.scaled"),
    /** A member passed HAProxy's health check and entered rotation. */
    GROUP_JOINED("group.joined"),
    /** A member drained and left HAProxy; its VM is being deleted. */
    GROUP_LEFT("group.left"),
    /** The group's HAProxy had exited and was started again, or could not be. */
    GROUP_BALANCER("group.balancer");

    private final String wireName;

    GroupsEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
