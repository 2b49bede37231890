package io.polyvisor.storage;

import io.polyvisor.access.Owned;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Owners;

import io.polyvisor.disk.*;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * {@code /api/v1/volumes}, {@code /api/v1/images} and {@code /api/v1/vms/{ref}/snapshots}. Volumes are their project's;
 * images are read by every role and imported and deleted by admins (a template's image is its template's project's).
 */
final class StorageRoutes {
    private static final Object NAME = map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    private static final Object SIZE = map("type", "string", "description", "a size such as 512M or 10G (1 MiB to 16 TiB)");
    static final Payload.Written CREATE_VOLUME = new Payload.Written("CreateVolume", object(List.of("name"),
            "name", NAME, "size", SIZE, "image", map("type", "string", "description", "make it copy-on-write over this image"),
            "host", map("type", "string", "description", "the host whose pool holds it (default: the pool with the most room); with "
                    + "pool, the host it is made through (default: the pool's first connected host)"),
            "pool", map("type", "string", "description", "a shared pool to make it in (default: a host's local pool)"),
            "project", map("type", "string", "description", "the project that owns it (default: default)")), false);
    static final Payload.Written RESIZE_VOLUME = new Payload.Written("ResizeVolume", object(List.of("size"), "size", SIZE), false);
    static final Payload.Written IMPORT_IMAGE = new Payload.Written("ImportImage", object(List.of("name", "file"),
            "name", NAME, "file", map("type", "string", "description", "a file on the server's machine, under "
                    + String.join(", ", ImportPaths.ROOTS)),
            "format", map("type", "string", "enum", List.of("qcow2", "raw"), "default", "qcow2")), false);
    static final Payload.Written CREATE_SNAPSHOT = new Payload.Written("CreateSnapshot", object(List.of("name"), "name", NAME), false);
    static final Payload.Written EMPTY = new Payload.Written("EmptyRevert", object(List.of()), true);
    static final Payload.Written CLONE_VM = new Payload.Written("CloneVm", object(List.of("name"), "name", NAME,
            "start", map("type", "boolean", "default", true)), false);

    private final Store store;
    private final Volumes volumes;
    private final Images images;
    private final Snapshots snapshots;
    private final VmClones clones;
    private final Function<String, Vm> findVm;
    private final ObjectMapper mapper;

    private final Owners owners;

    StorageRoutes(Store store, Volumes volumes, Images images, Snapshots snapshots, VmClones clones, Function<String, Vm> findVm,
                  ObjectMapper mapper) {
        this.owners = new Owners(store);
        this.clones = clones;
        this.store = store;
        this.volumes = volumes;
        this.images = images;
        this.snapshots = snapshots;
        this.findVm = findVm;
        this.mapper = mapper;
    }

    List<Route> routes() {
        var r = new ArrayList<Route>();
        var volume = Payload.of(StorageViews.VolumeView.class);
        var image = Payload.of(StorageViews.ImageView.class);
        r.add(Route.get("/api/v1/volumes", "List volumes (of the caller's projects)", Payload.listOf(StorageViews.VolumeView.class), ctx -> {
            var projects = owners.all(Owned.VOLUME);
            ctx.json(owners.visible(ctx, Owned.VOLUME, volumes.all(), Volume::name).stream()
                    .map(v -> view(v, projects.getOrDefault(v.name(), Vm.DEFAULT_PROJECT))).toList());
        }).requires(Permission.READ));
        r.add(Route.post("/api/v1/volumes", "Create a volume in a project, empty or copy-on-write over an image", 201, CREATE_VOLUME,
                volume, this::createVolume).requires(Permission.OPERATE));
        r.add(Route.get("/api/v1/volumes/{name}", "Show a volume", volume, ctx -> ctx.json(view(visibleVolume(ctx)))).requires(Permission.READ));
        r.add(Route.post("/api/v1/volumes/{name}/resize", "Grow a volume (shrinking is refused)", 200, RESIZE_VOLUME, volume, ctx -> {
            Body b = Body.parse(mapper, Body.text(ctx), RESIZE_VOLUME.fields());
            visibleVolume(ctx);
            ctx.json(view(volumes.resize(ctx.pathParam("name"), DiskSizes.parse("size", b.requiredString("size")))));
        }).requires(Permission.OPERATE));
        r.add(Route.delete("/api/v1/volumes/{name}", "Delete a volume (refused while attached)", 204, null, ctx -> {
            visibleVolume(ctx);
            volumes.delete(ctx.pathParam("name"));
            ctx.status(204);
        }).requires(Permission.OPERATE));
        r.add(Route.get("/api/v1/images", "List images (every imported one; a template's image to its project's callers)",
                Payload.listOf(StorageViews.ImageView.class), ctx -> {
                    var caller = io.polyvisor.api.Caller.of(ctx);
                    var templates = owners.all(Owned.TEMPLATE);
                    var seen = visibleVolumes(ctx);
                    ctx.json(images.all().stream().filter(i -> Owners.seesImage(caller, i, templates))
                            .map(i -> StorageViews.image(i, seen)).toList());
                }).requires(Permission.READ));
        r.add(Route.post("/api/v1/images", "Import a qcow2 or raw image from a file on the server's machine", 201, IMPORT_IMAGE, image, ctx -> {
            Body b = Body.parse(mapper, Body.text(ctx), IMPORT_IMAGE.fields());
            var i = images.importFile(b.requiredString("name"), b.requiredString("file"), b.string("format"));
            ctx.status(201).json(StorageViews.image(i, List.of()));
        }));
        r.add(Route.get("/api/v1/images/{name}", "Show an image", image, ctx -> {
            var i = images.find(ctx.pathParam("name"));
            owners.requireSeesImage(ctx, i.name());
            ctx.json(StorageViews.image(i, visibleVolumes(ctx)));
        }).requires(Permission.READ));
        r.add(Route.delete("/api/v1/images/{name}", "Delete an image (refused while a volume is made from it)", 204, null, ctx -> {
            images.delete(ctx.pathParam("name"));
            ctx.status(204);
        }));
        String snaps = "/api/v1/vms/{ref}/snapshots";
        var snapshot = Payload.of(StorageViews.SnapshotView.class);
        r.add(Route.get(snaps, "List a VM's snapshots", Payload.listOf(StorageViews.SnapshotView.class),
                ctx -> ctx.json(snapshots.list(visibleVm(ctx)).stream().map(StorageViews::snapshot).toList())).requires(Permission.READ));
        r.add(Route.post(snaps, "Snapshot a VM's disks (and memory, when it runs)", 201, CREATE_SNAPSHOT, snapshot, ctx -> {
            Body b = Body.parse(mapper, Body.text(ctx), CREATE_SNAPSHOT.fields());
            ctx.status(201).json(StorageViews.snapshot(snapshots.create(visibleVm(ctx), b.requiredString("name"))));
        }).requires(Permission.OPERATE));
        r.add(Route.post(snaps + "/{name}/revert", "Revert a VM to a snapshot (the VM must be as it was then: running or stopped)",
                204, EMPTY, null, ctx -> {
                    Body.parse(mapper, Body.text(ctx), EMPTY.fields());
                    snapshots.revert(visibleVm(ctx), ctx.pathParam("name"));
                    ctx.status(204);
                }).requires(Permission.OPERATE));
        r.add(Route.delete(snaps + "/{name}", "Delete a snapshot", 204, null, ctx -> {
            snapshots.delete(visibleVm(ctx), ctx.pathParam("name"));
            ctx.status(204);
        }).requires(Permission.OPERATE));
        r.add(Route.post("/api/v1/vms/{ref}/clone", "Clone a stopped VM: a new VM on its host with full copies of its disks", 202,
                CLONE_VM, Payload.of(StorageViews.CloneView.class), ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), CLONE_VM.fields());
                    var accepted = clones.clone(visibleVm(ctx), b.requiredString("name"), !b.has("start") || b.bool("start"));
                    var vm = accepted.vm();
                    ctx.status(202).json(new StorageViews.CloneView(vm.name(), vm.host(),
                            vm.spec().disks().stream().map(io.polyvisor.model.Disk::volume).toList(), accepted.task().id().toString()));
                }).requires(Permission.OPERATE));
        return r;
    }

    /** The VM of the path, if the caller sees its project; else not found. */
    private Vm visibleVm(Context ctx) {
        String ref = ctx.pathParam("ref");
        Vm vm = findVm.apply(ref);
        io.polyvisor.api.Caller.requireSees(ctx, vm.project(), "vm " + ref);
        return vm;
    }

    /** The volumes the caller sees: an image's {@code used_by} names only those. */
    private List<Volume> visibleVolumes(Context ctx) {
        return owners.visible(ctx, Owned.VOLUME, store.volumes(), Volume::name);
    }

    /** The volume of the path, if the caller sees its project; else not found. */
    private Volume visibleVolume(Context ctx) {
        Volume v = volumes.find(ctx.pathParam("name"));
        owners.requireSees(ctx, Owned.VOLUME, v.name());
        return v;
    }

    private void createVolume(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), CREATE_VOLUME.fields());
        String project = Owners.forCreate(ctx, b.string("project"));
        String name = StorageNames.volume(b.requiredString("name"));
        Long size = b.has("size") ? DiskSizes.parse("size", b.string("size")) : null;
        String image = b.string("image");
        if (image != null) owners.requireSeesImage(ctx, StorageNames.image(image));
        String pool = b.string("pool");
        if (pool != null) StorageNames.pool(pool);
        ctx.status(201).json(view(volumes.create(new Volumes.Request(name, size, image, b.string("host"), project, pool))));
    }

    private StorageViews.VolumeView view(Volume v) {
        return view(v, volumes.project(v));
    }

    private StorageViews.VolumeView view(Volume v, String project) {
        return StorageViews.volume(v, volumes.vmName(v.vm()), project);
    }
}
