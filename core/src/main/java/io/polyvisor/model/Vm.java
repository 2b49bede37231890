package io.polyvisor.model;

import java.util.Map;
import java.util.UUID;

/**
 * A VM: its identity, what the user asked for (spec, intent, protection) and what was last observed
 * (state, host). {@code host} is null until the VM is placed. {@code project} owns it (default {@code default}) and
 * never changes after create: the store does not update it.
 */
public record Vm(UUID id, String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                 PowerIntent intent, VmState state, String host, String project) {
    public static final String DEFAULT_PROJECT = "default";

    /** A VM of the default project. */
    public Vm(UUID id, String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
              PowerIntent intent, VmState state, String host) {
        this(id, name, spec, labels, protection, priority, intent, state, host, DEFAULT_PROJECT);
    }

    public Vm {
        project = project == null ? DEFAULT_PROJECT : Names.requireName("project", project);
        InvalidInput.require(id != null, "VM id is required");
        Names.requireName("VM", name);
        InvalidInput.require(spec != null, "VM spec is required");
        labels = Names.requireLabels(labels);
        if (protection == null) protection = Protection.NONE;
        if (priority == null) priority = Priority.MEDIUM;
        if (intent == null) intent = PowerIntent.RUNNING;
        if (state == null) state = VmState.PENDING;
    }

    /** Moves to {@code next}, enforcing the state machine. */
    public Vm withState(VmState next) {
        return new Vm(id, name, spec, labels, protection, priority, intent, state.to(next), host, project);
    }

    public Vm withIntent(PowerIntent next) {
        return new Vm(id, name, spec, labels, protection, priority, next, state, host, project);
    }

    /** The same VM with {@code next} as its spec (a disk attached or detached). */
    public Vm withSpec(VmSpec next) {
        return new Vm(id, name, next, labels, protection, priority, intent, state, host, project);
    }

    public Vm withHost(String next) {
        return new Vm(id, name, spec, labels, protection, priority, intent, state, next, project);
    }
}
