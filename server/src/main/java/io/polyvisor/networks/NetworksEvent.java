package io.polyvisor.networks;

import io.polyvisor.events.EventType;

/** What the networks feature records. */
public enum NetworksEvent implements EventType {
    NETWORK_CREATED("network.created"),
    NETWORK_DELETED("network.deleted"),
    /** A host could not be made to carry a network (the message says which and why); retried every sync round. */
    NETWORK_HOST_FAILED("network.host-failed"),
    SECGROUP_CREATED("secgroup.created"),
    SECGROUP_DELETED("secgroup.deleted"),
    /** A group's rules were replaced (its members' hosts follow within a sync round). */
    SECGROUP_RULES("secgroup.rules"),
    /** A VM joined or left a security group. */
    SECGROUP_MEMBERS("secgroup.members"),
    /** A NIC was plugged into an existing VM (vm attach-nic). */
    NIC_ATTACHED("nic.attached"),
    /** A VM's NIC was unplugged and its address freed (vm detach-nic, or an attach the host refused, undone). */
    NIC_DETACHED("nic.detached");

    private final String wireName;

    NetworksEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
