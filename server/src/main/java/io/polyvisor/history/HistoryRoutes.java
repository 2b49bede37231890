package io.polyvisor.history;

import io.javalin.http.Context;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /api/v1/hosts/{name}/history} (admins) and {@code GET /api/v1/vms/{ref}/history} (whoever sees the VM's
 * project): the measured CPU and memory of the last hour at 10 s steps, oldest first.
 */
final class HistoryRoutes {
    /** A series: its step in seconds and its samples, oldest first (steps with no measurement are absent). */
    record HistoryView(String name, int stepSeconds, List<SampleView> samples) {}

    record SampleView(java.time.Instant at, double cpuCores, long memoryBytes) {}

    private final Store store;
    private final Function<String, Vm> findVm;
    private final UsageHistory<String> hosts;
    private final UsageHistory<UUID> vms;
    private final Clock clock;

    HistoryRoutes(Store store, Function<String, Vm> findVm, UsageHistory<String> hosts, UsageHistory<UUID> vms, Clock clock) {
        this.store = store;
        this.findVm = findVm;
        this.hosts = hosts;
        this.vms = vms;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/v1/hosts/{name}/history", "A host's measured CPU and memory over the last hour, at 10 s steps",
                        Payload.of(HistoryView.class), this::host),
                Route.get("/api/v1/vms/{ref}/history", "A VM's measured CPU and memory over the last hour, at 10 s steps",
                        Payload.of(HistoryView.class), this::vm).requires(Permission.READ));
    }

    private void host(Context ctx) {
        String name = ctx.pathParam("name");
        if (store.host(name).isEmpty()) throw Refusal.notFound("host " + name + " not found");
        ctx.json(view(name, hosts.of(name, clock.instant())));
    }

    private void vm(Context ctx) {
        String ref = ctx.pathParam("ref");
        Vm vm = findVm.apply(ref);
        Caller.requireSees(ctx, vm.project(), "vm " + ref);
        ctx.json(view(vm.name(), vms.of(vm.id(), clock.instant())));
    }

    private static HistoryView view(String name, List<UsageHistory.Sample> samples) {
        return new HistoryView(name, (int) UsageHistory.STEP.toSeconds(),
                samples.stream().map(s -> new SampleView(s.at(), s.cpuCores(), s.memoryBytes())).toList());
    }
}
