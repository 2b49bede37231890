package io.polyvisor.lifecycle;

import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Owners;
import io.polyvisor.access.Permission;
import io.polyvisor.access.Principal;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.api.Views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.drivers.UsageView;
import io.polyvisor.lifecycle.VmRequests;
import io.polyvisor.model.Names;
import io.polyvisor.model.Task;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.polyvisor.api.WrittenSchema.BOOLEAN;
import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.object;

/** /api/v1/vms: list, create, show, delete and power operations. */
final class VmRoutes {
    /** What the power routes read: nothing, or {@code {}}. */
    static final Payload.Written EMPTY = new Payload.Written("Empty", object(List.of()), true);
    static final Payload.Written STOP_VM = new Payload.Written("StopVm", object(List.of(), "force", BOOLEAN), true);
    static final Payload.Written MIGRATE_VM = new Payload.Written("MigrateVm", object(List.of("to"), "to", STRING), false);
    private static final Payload TASK = Payload.of(Views.TaskView.class);
    private static final Payload VM = Payload.of(Views.VmView.class);

    private final Store store;
    private final VmRequests requests;
    private final UsageView usage;
    private final ObjectMapper mapper;
    private final io.polyvisor.feature.VmFacets facets;

    VmRoutes(Store store, VmRequests requests, UsageView usage, ObjectMapper mapper, io.polyvisor.feature.VmFacets facets) {
        this.facets = facets;
        this.store = store;
        this.requests = requests;
        this.usage = usage;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String one = "/api/v1/vms/{ref}";
        return List.of(
                Route.get("/api/v1/vms", "List VMs (of the caller's projects)", Payload.listOf(Views.VmView.class), this::list,
                        "host:only VMs on this host", "label:only VMs with this label, written key=value",
                        "project:only VMs of this project").requires(Permission.READ),
                Route.post("/api/v1/vms", "Create a VM (placed now, built by a create task)", 202, CreateVmBody.SCHEMA,
                        Payload.of(Views.CreatedView.class), this::create).requires(Permission.OPERATE),
                Route.get(one, "Show a VM by name or UUID", VM, ctx -> ctx.json(view(find(ctx)))).requires(Permission.READ),
                Route.delete(one, "Delete a VM (stop, undefine, remove)", 202, TASK, ctx -> queue(ctx, Task.Kind.DELETE, null))
                        .requires(Permission.OPERATE),
                power(one + "/start", "Start a stopped or failed VM", Task.Kind.START),
                Route.post(one + "/stop", "Stop a VM (ACPI, forced after a grace period; force: at once)", 202, STOP_VM, TASK,
                        ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), STOP_VM.fields());
                            queue(ctx, Task.Kind.STOP, Boolean.TRUE.equals(b.bool("force")) ? "force" : null);
                        }).requires(Permission.OPERATE),
                power(one + "/reboot", "Reboot a running VM", Task.Kind.REBOOT),
                power(one + "/suspend", "Suspend (pause) a running VM", Task.Kind.SUSPEND),
                power(one + "/resume", "Resume a paused VM", Task.Kind.RESUME),
                Route.post(one + "/migrate", "Live-migrate a VM to another host", 202, MIGRATE_VM, TASK, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), MIGRATE_VM.fields());
                    queue(ctx, Task.Kind.MIGRATE, Names.requireName("host", b.requiredString("to")));
                }).requires(Permission.OPERATE));
    }

    private Route power(String path, String summary, Task.Kind kind) {
        return Route.post(path, summary, 202, EMPTY, TASK, ctx -> {
            Body.parse(mapper, Body.text(ctx), EMPTY.fields());
            queue(ctx, kind, null);
        }).requires(Permission.OPERATE);
    }

    /** The header of a VM list that says which events it reflects (docs/API.md). */
    static final String EVENTS_THROUGH = "X-Polyvisor-Events-Through";

    private void list(Context ctx) {
        String host = ctx.queryParam("host");
        String label = ctx.queryParam("label");
        Map.Entry<String, String> want = label == null ? null : Names.parseLabel(label);
        String project = ctx.queryParam("project");
        Principal caller = Caller.of(ctx);
        // read before the list: a change the list misses has an event after this seq (follow the stream from it)
        ctx.header(EVENTS_THROUGH, Long.toString(store.lastEventSeq()));
        Stream<Vm> vms = (host == null ? store.vms() : store.vmsOnHost(host)).stream().filter(v -> caller.sees(v.project()));
        if (project != null) vms = vms.filter(v -> v.project().equals(project));
        if (want != null) vms = vms.filter(v -> want.getValue().equals(v.labels().get(want.getKey())));
        ctx.json(vms.map(this::view).toList());
    }

    private void create(Context ctx) {
        var create = CreateVmBody.parse(mapper, Body.text(ctx));
        Caller.requireSees(ctx, create.project(), "project " + create.project());
        if (create.disks().image() != null) new Owners(store).requireSeesImage(ctx, create.disks().image());
        var accepted = requests.create(create);
        ctx.status(202).json(new Views.CreatedView(view(accepted.vm()), Views.task(accepted.task(), accepted.vm().name())));
    }

    private void queue(Context ctx, Task.Kind kind, String target) {
        Vm vm = find(ctx);
        Task t = requests.request(ctx.pathParam("ref"), kind, target);
        ctx.status(202).json(Views.task(t, vm.name()));
    }

    /** The VM the path names, if the caller sees its project; else not found, as if it did not exist. */
    private Vm find(Context ctx) {
        String ref = ctx.pathParam("ref");
        Vm vm = requests.find(ref);
        Caller.requireSees(ctx, vm.project(), "vm " + ref);
        return vm;
    }

    private Views.VmView view(Vm vm) {
        // only VMs that expose ports have endpoints: skip the query for the others (lists stay one query)
        var endpoints = vm.spec().exposePorts().isEmpty() ? java.util.Map.<Integer, Integer>of() : store.endpoints(vm.id());
        return Views.vm(vm, endpoints, usage.vm(vm.id()).orElse(null)).withFacets(facets.of(vm));
    }
}
