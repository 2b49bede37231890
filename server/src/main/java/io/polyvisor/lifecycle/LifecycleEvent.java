package io.polyvisor.lifecycle;

import io.polyvisor.events.EventType;

/** What the VM and task routes and the task executor record (besides {@link io.polyvisor.events.SharedEvent}). */
public enum LifecycleEvent implements EventType {
    /** A VM was accepted and placed; its create task is queued. */
    VM_CREATED("vm.created"),
    VM_REBOOTED("vm.rebooted"),
    /** A deleted VM's definition was removed from its host. */
    VM_UNDEFINED("vm.undefined"),
    VM_DELETED("vm.deleted"),
    TASK_QUEUED("task.queued"),
    TASK_STARTED("task.started"),
    /** A retryable driver failure: the task is queued again after a back-off. */
    TASK_RETRY("task.retry"),
    TASK_SUCCEEDED("task.succeeded"),
    TASK_FAILED("task.failed");

    private final String wireName;

    LifecycleEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
