package io.polyvisor.storage;

import io.polyvisor.access.Permission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.Vm;

import java.util.List;
import java.util.function.Function;

import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** {@code POST /api/v1/vms/{ref}/disks} and {@code DELETE /api/v1/vms/{ref}/disks/{volume}} (docs/STORAGE.md). */
final class DiskRoutes {
    static final Payload.Written ATTACH = new Payload.Written("AttachDisk", object(List.of("volume"),
            "volume", map("type", "string", "description", "a free volume in the pool of the VM's host")), false);

    /** A VM's disks after an attach or a detach, in guest order. */
    record DisksView(String vm, List<StorageViews.DiskView> disks) {}

    private final DiskAttachments attachments;
    private final Function<String, Vm> findVm;
    private final Function<Vm, List<StorageViews.DiskView>> disks;
    private final ObjectMapper mapper;

    DiskRoutes(DiskAttachments attachments, Function<String, Vm> findVm, Function<Vm, List<StorageViews.DiskView>> disks, ObjectMapper mapper) {
        this.attachments = attachments;
        this.findVm = findVm;
        this.disks = disks;
        this.mapper = mapper;
    }

    List<Route> routes() {
        var view = Payload.of(DisksView.class);
        return List.of(
                Route.post("/api/v1/vms/{ref}/disks", "Attach a volume as the VM's next disk (hot when it runs)", 200, ATTACH, view, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), ATTACH.fields());
                    Vm vm = attachments.attach(visibleVm(ctx), b.requiredString("volume"));
                    ctx.json(new DisksView(vm.name(), disks.apply(vm)));
                }).requires(Permission.OPERATE),
                Route.delete("/api/v1/vms/{ref}/disks/{volume}", "Detach one of the VM's disks but its first (hot when it runs); "
                        + "the volume is kept", 200, view, ctx -> {
                    Vm vm = attachments.detach(visibleVm(ctx), ctx.pathParam("volume"));
                    ctx.json(new DisksView(vm.name(), disks.apply(vm)));
                }).requires(Permission.OPERATE));
    }

    /** The VM of the path, if the caller sees its project; else not found. */
    private Vm visibleVm(io.javalin.http.Context ctx) {
        String ref = ctx.pathParam("ref");
        Vm vm = findVm.apply(ref);
        io.polyvisor.api.Caller.requireSees(ctx, vm.project(), "vm " + ref);
        return vm;
    }
}
