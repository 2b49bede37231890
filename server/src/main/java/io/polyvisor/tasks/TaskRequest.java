package io.polyvisor.tasks;

import io.polyvisor.model.Task;
import io.polyvisor.model.Task.Kind;

import java.util.Objects;
import java.util.UUID;

/**
 * What a producer (the API, HA, the balancer) asks the task executor to do to one VM: one record per task kind,
 * holding exactly what that kind needs. {@link TaskQueue#enqueue} persists it as a queued {@link Task}; the
 * executor (the lifecycle controller) runs it through the drivers. Values are checked here, so a request that
 * exists is complete.
 */
public sealed interface TaskRequest {
    UUID vm();

    /** Define the VM (its row already holds the spec) on {@code host}, and start it if its intent says so. */
    record Create(UUID vm, String host) implements TaskRequest {
        public Create {
            requireVm(vm);
            requireHost(host, "create");
        }
    }

    record Start(UUID vm) implements TaskRequest {
        public Start {
            requireVm(vm);
        }
    }

    /** Shut the guest down, or with {@code force} power it off at once. */
    record Stop(UUID vm, boolean force) implements TaskRequest {
        public Stop {
            requireVm(vm);
        }
    }

    record Reboot(UUID vm) implements TaskRequest {
        public Reboot {
            requireVm(vm);
        }
    }

    record Suspend(UUID vm) implements TaskRequest {
        public Suspend {
            requireVm(vm);
        }
    }

    record Resume(UUID vm) implements TaskRequest {
        public Resume {
            requireVm(vm);
        }
    }

    /** Remove the VM from its host and delete its row. */
    record Delete(UUID vm) implements TaskRequest {
        public Delete {
            requireVm(vm);
        }
    }

    /** Live-migrate to host {@code to}. */
    record Migrate(UUID vm, String to) implements TaskRequest {
        public Migrate {
            requireVm(vm);
            requireHost(to, "migrate");
        }
    }

    /** Define and start the VM on host {@code on}, its old instance being proven off (HA). */
    record Restart(UUID vm, String on) implements TaskRequest {
        public Restart {
            requireVm(vm);
            requireHost(on, "restart");
        }
    }

    /**
     * Force the instance with this UUID off on host {@code host} and undefine it there: a crashed or hung protected
     * instance before HA restarts it, or a stale instance on a fenced host that rejoins. The VM row may be gone.
     */
    record Fence(UUID vm, String host) implements TaskRequest {
        public Fence {
            requireVm(vm);
            requireHost(host, "fence");
        }
    }

    default Kind kind() {
        return switch (this) {
            case Create c -> Kind.CREATE;
            case Start s -> Kind.START;
            case Stop s -> Kind.STOP;
            case Reboot r -> Kind.REBOOT;
            case Suspend s -> Kind.SUSPEND;
            case Resume r -> Kind.RESUME;
            case Delete d -> Kind.DELETE;
            case Migrate m -> Kind.MIGRATE;
            case Restart r -> Kind.RESTART;
            case Fence f -> Kind.FENCE;
        };
    }

    /** The task's {@link Task#target()}: the host for create, migrate, restart and fence; {@code "force"} for a forced stop. */
    default String target() {
        return switch (this) {
            case Create c -> c.host();
            case Stop s -> s.force() ? FORCE : null;
            case Migrate m -> m.to();
            case Restart r -> r.on();
            case Fence f -> f.host();
            case Start s -> null;
            case Reboot r -> null;
            case Suspend s -> null;
            case Resume r -> null;
            case Delete d -> null;
        };
    }

    String FORCE = "force";

    /**
     * The request for a user's verb on a VM, as the API takes it: {@code target} is the destination host for
     * MIGRATE, {@code "force"} for a forced STOP, else ignored.
     */
    static TaskRequest of(Kind kind, UUID vm, String target) {
        return switch (kind) {
            case CREATE -> new Create(vm, target);
            case START -> new Start(vm);
            case STOP -> new Stop(vm, FORCE.equals(target));
            case REBOOT -> new Reboot(vm);
            case SUSPEND -> new Suspend(vm);
            case RESUME -> new Resume(vm);
            case DELETE -> new Delete(vm);
            case MIGRATE -> new Migrate(vm, target);
            case RESTART -> new Restart(vm, target);
            case FENCE -> new Fence(vm, target);
        };
    }

    private static void requireVm(UUID vm) {
        Objects.requireNonNull(vm, "a task request needs a VM id");
    }

    private static void requireHost(String host, String what) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a " + what + " task needs a host");
    }
}
