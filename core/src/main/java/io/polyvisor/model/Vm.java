package io.polyvisor.model;

import java.util.Map;
import java.util.UUID;

/**
 * A VM: its identity, what the user asked for (spec, intent, protection) and what was last observed
 * (state, host). {@code host} is null until the VM is placed.
 */
public record Vm(UUID id, String name, VmSpec spec, Map<String, String> labels, Protection protection, Priority priority,
                 PowerIntent intent, VmState state, String host) {
    public Vm {
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
        return new Vm(id, name, spec, labels, protection, priority, intent, state.to(next), host);
    }

    public Vm withIntent(PowerIntent next) {
        return new Vm(id, name, spec, labels, protection, priority, next, state, host);
    }

    public Vm withHost(String next) {
        return new Vm(id, name, spec, labels, protection, priority, intent, state, next);
    }
}
