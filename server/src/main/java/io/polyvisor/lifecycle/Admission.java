package io.polyvisor.lifecycle;

import io.polyvisor.model.PowerIntent;
import io.polyvisor.model.Task.Kind;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;

import java.util.Optional;

/**
 * Whether a user's request on a VM may be queued, decided up front so that the API answers 409 with a
 * reason instead of queueing a task that must fail. Pure.
 */
public final class Admission {
    private Admission() {}

    /**
     * @param busyWith the kind of the VM's unfinished task, or null if it has none
     * @return the refusal a user reads, or empty if the request is admitted
     */
    public static Optional<String> check(Vm vm, Kind kind, Kind busyWith) {
        String name = vm.name();
        VmState s = vm.state();
        if (s instanceof VmState.Deleted || vm.intent() == PowerIntent.DELETED) {
            // a delete that failed (host unreachable too long) may be asked for again; nothing else may
            return kind == Kind.DELETE && busyWith == null ? Optional.empty() : Optional.of("vm " + name + " is being deleted");
        }
        if (kind == Kind.DELETE) return Optional.empty(); // always admitted; runs after what is queued
        if (busyWith != null) {
            return Optional.of("vm " + name + " is busy with a " + label(busyWith) + " task; try again when it finishes");
        }
        String state = s.label();
        return switch (kind) {
            case START -> s instanceof VmState.Stopped || s instanceof VmState.Failed ? ok()
                    : refuse(name, state, "stopped or failed to start");
            case STOP -> s instanceof VmState.Stopped ? Optional.of("vm " + name + " is already stopped")
                    : s instanceof VmState.Pending ? refuse(name, state, "created to stop") : ok();
            case REBOOT, SUSPEND -> s instanceof VmState.Running ? ok() : refuse(name, state, "running to " + label(kind));
            case RESUME -> s instanceof VmState.Paused ? ok() : refuse(name, state, "paused to resume");
            case MIGRATE -> s instanceof VmState.Running || s instanceof VmState.Paused ? ok()
                    : refuse(name, state, "running to migrate");
            case CREATE, DELETE, RESTART, FENCE -> ok();
        };
    }

    /** The power intent a request records, or null if it does not change it. */
    public static PowerIntent intentAfter(Kind kind) {
        return switch (kind) {
            case CREATE, START, RESUME, RESTART -> PowerIntent.RUNNING;
            case STOP -> PowerIntent.STOPPED;
            case SUSPEND -> PowerIntent.PAUSED;
            case DELETE -> PowerIntent.DELETED;
            case REBOOT, MIGRATE, FENCE -> null;
        };
    }

    public static String label(Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Optional<String> ok() {
        return Optional.empty();
    }

    private static Optional<String> refuse(String name, String state, String need) {
        return Optional.of("vm " + name + " is " + state + "; it must be " + need);
    }
}
