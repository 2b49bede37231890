package io.polyvisor.lifecycle;

import io.polyvisor.api.Caller;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Principal;
import io.polyvisor.access.Role;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.api.Views;

import io.javalin.http.Context;
import io.polyvisor.model.Refusal;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** /api/v1/tasks and /api/v1/events (the stream is in {@link EventStream}). */
final class TaskRoutes {
    private final Store store;
    private final VmRequests vms;

    TaskRoutes(Store store, VmRequests vms) {
        this.store = store;
        this.vms = vms;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/v1/tasks", "List tasks, newest first (of VMs in the caller's projects)", Payload.listOf(Views.TaskView.class),
                        this::list, "vm:only tasks of this VM (name or UUID)", "status:queued, running, succeeded, failed or cancelled",
                        "limit:at most this many (1-1000, default 50)").requires(Permission.READ),
                Route.get("/api/v1/tasks/{id}", "Show a task", Payload.of(Views.TaskView.class), this::show).requires(Permission.READ),
                Route.get("/api/v1/events", "List events, oldest first", Payload.listOf(Views.EventView.class), ctx -> {
                    long after = ctx.queryParam("after") == null ? 0
                            : io.polyvisor.events.Resume.checked(store, number(ctx, "after", 0, 0, Long.MAX_VALUE));
                    int limit = (int) number(ctx, "limit", 100, 1, 1000);
                    ctx.json(store.events(after, limit).stream().map(Views::event).toList());
                }, "after:only events with a larger seq", "limit:at most this many (1-1000, default 100)"));
    }

    private void list(Context ctx) {
        String ref = ctx.queryParam("vm");
        Principal caller = Caller.of(ctx);
        UUID vm = null;
        if (ref != null) {
            Vm found = vms.find(ref);
            Caller.requireSees(ctx, found.project(), "vm " + ref);
            vm = found.id();
        }
        Task.Status status = status(ctx.queryParam("status"));
        int limit = (int) number(ctx, "limit", 50, 1, 1000);
        Map<UUID, Optional<Vm>> seen = new HashMap<>();
        // for a caller limited to projects, the newest `limit` tasks are filtered: fewer may come back
        ctx.json(store.tasks(vm, status, limit).stream().filter(t -> visible(caller, t, seen))
                .map(t -> Views.task(t, name(t.vmId(), seen))).toList());
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("id");
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Refusal.notFound("task " + id + " not found");
        }
        Map<UUID, Optional<Vm>> seen = new HashMap<>();
        Task t = store.task(uuid).filter(task -> visible(Caller.of(ctx), task, seen))
                .orElseThrow(() -> Refusal.notFound("task " + id + " not found"));
        ctx.json(Views.task(t, name(t.vmId(), seen)));
    }

    /** Whether the caller sees the task: admins all; others those of VMs in their projects (deleted ones included). */
    private boolean visible(Principal caller, Task t, Map<UUID, Optional<Vm>> cache) {
        if (caller.role() == Role.ADMIN) return true;
        if (t.vmId() == null) return false;
        Optional<String> project = vm(t.vmId(), cache).map(Vm::project).or(() -> store.taskProject(t.id()));
        return project.map(caller::sees).orElse(false);
    }

    /** The VM's name, or null once it is deleted. */
    private String name(UUID vm, Map<UUID, Optional<Vm>> cache) {
        if (vm == null) return null;
        return vm(vm, cache).map(Vm::name).orElse(null);
    }

    private Optional<Vm> vm(UUID id, Map<UUID, Optional<Vm>> cache) {
        return cache.computeIfAbsent(id, store::vm);
    }

    private static Task.Status status(String text) {
        if (text == null) return null;
        try {
            return Task.Status.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("status must be one of " + Arrays.stream(Task.Status.values())
                    .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", got '" + text + "'");
        }
    }

    static long number(Context ctx, String name, long dflt, long min, long max) {
        return io.polyvisor.api.QueryParams.number(ctx, name, dflt, min, max);
    }
}
