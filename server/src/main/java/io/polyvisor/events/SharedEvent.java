package io.polyvisor.events;

/** Event types recorded by more than one feature; a feature's own types are in its package. */
public enum SharedEvent implements EventType {
    /** A VM's state changed: the task executor observed its own action, or the host monitor saw a change. */
    VM_STATE("vm.state"),
    /** A VM was forced off on a host: a fence task, or HA before restarting it elsewhere. */
    VM_FENCED("vm.fenced");

    private final String wireName;

    SharedEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
