package io.polyvisor.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.access.Owned;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Owners;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.disk.Template;
import io.polyvisor.model.Disk;
import io.polyvisor.model.Sizes;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.function.Function;

import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** {@code /api/v1/templates} and {@code POST /api/v1/vms/{ref}/template} (docs/STORAGE.md). */
final class TemplateRoutes {
    private static final Object NAME = map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    static final Payload.Written MAKE_TEMPLATE = new Payload.Written("MakeTemplate", object(List.of("name"), "name", NAME,
            "project", map("type", "string", "description", "the project that owns it (default: the VM's project)")), false);
    static final Payload.Written LINKED_CLONE = new Payload.Written("LinkedClone", object(List.of("name"), "name", NAME,
            "start", map("type", "boolean", "default", true),
            "project", map("type", "string", "description", "the project the clone belongs to, whose quota it counts in "
                    + "(default: the template's project)")), false);

    /**
     * @param project   the project that owns it: only that project's people see it, clone it or delete it
     * @param host      the host whose pool holds its image (its linked clones run there)
     * @param source    the VM it was made from
     * @param usedBy    the linked clones' volumes over its image (it cannot be deleted while any is left)
     */
    record TemplateView(String name, String project, String host, String source, int vcpus, long memoryBytes, String memory,
                        long diskSizeBytes, String diskSize, List<String> usedBy) {}

    private final Store store;
    private final Templates templates;
    private final Images images;
    private final Function<String, Vm> findVm;
    private final ObjectMapper mapper;
    private final Owners owners;

    TemplateRoutes(Store store, Templates templates, Images images, Function<String, Vm> findVm, ObjectMapper mapper) {
        this.store = store;
        this.templates = templates;
        this.images = images;
        this.findVm = findVm;
        this.mapper = mapper;
        this.owners = new Owners(store);
    }

    List<Route> routes() {
        var view = Payload.of(TemplateView.class);
        return List.of(
                Route.post("/api/v1/vms/{ref}/template", "Make a template of a stopped VM with one disk: a copy of its disk that "
                        + "never changes again, in its host's pool, owned by the VM's project", 201, MAKE_TEMPLATE, view, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), MAKE_TEMPLATE.fields());
                    String ref = ctx.pathParam("ref");
                    Vm src = findVm.apply(ref);
                    Caller.requireSees(ctx, src.project(), "vm " + ref);
                    String project = b.has("project") ? Owners.forCreate(ctx, b.string("project")) : src.project();
                    ctx.status(201).json(view(templates.make(src, b.requiredString("name"), project), project, ctx));
                }).requires(Permission.OPERATE),
                Route.get("/api/v1/templates", "List templates (of the caller's projects)", Payload.listOf(TemplateView.class), ctx -> {
                    var projects = owners.all(Owned.TEMPLATE);
                    ctx.json(owners.visible(ctx, Owned.TEMPLATE, templates.all(), Template::name).stream()
                            .map(t -> view(t, projects.getOrDefault(t.name(), Vm.DEFAULT_PROJECT), ctx)).toList());
                }).requires(Permission.READ),
                Route.get("/api/v1/templates/{name}", "Show a template", view, ctx -> {
                    var t = visible(ctx);
                    ctx.json(view(t, templates.project(t), ctx));
                }).requires(Permission.READ),
                Route.delete("/api/v1/templates/{name}", "Delete a template (refused while a linked clone's volume uses it)", 204, null, ctx -> {
                    images.delete(visible(ctx).name());
                    ctx.status(204);
                }).requires(Permission.OPERATE),
                Route.post("/api/v1/templates/{name}/clones", "Linked clone: a new VM on the template's host whose root volume is "
                        + "copy-on-write over the template's image, in the template's project (or one given) and its quota", 202,
                        LINKED_CLONE, Payload.of(StorageViews.CloneView.class), ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), LINKED_CLONE.fields());
                    var template = visible(ctx);
                    String project = b.has("project") ? Owners.forCreate(ctx, b.string("project")) : templates.project(template);
                    var accepted = templates.cloneLinked(template, b.requiredString("name"), !b.has("start") || b.bool("start"), project);
                    var vm = accepted.vm();
                    ctx.status(202).json(new StorageViews.CloneView(vm.name(), vm.host(),
                            vm.spec().disks().stream().map(Disk::volume).toList(), accepted.task().id().toString()));
                }).requires(Permission.OPERATE));
    }

    /** The template of the path, if the caller sees its project; else {@code template NAME not found}, as for a missing one. */
    private Template visible(Context ctx) {
        var t = templates.find(ctx.pathParam("name"));
        owners.requireSees(ctx, Owned.TEMPLATE, t.name());
        return t;
    }

    /** {@code usedBy} names only the volumes the caller sees (a clone may be in another project). */
    private TemplateView view(Template t, String project, Context ctx) {
        var image = store.image(t.name());
        long size = image.map(io.polyvisor.disk.Image::virtualSize).orElse(0L);
        var volumes = store.volumes().stream().filter(v -> t.name().equals(v.image())).toList();
        var users = owners.visible(ctx, Owned.VOLUME, volumes, io.polyvisor.disk.Volume::name).stream()
                .map(io.polyvisor.disk.Volume::name).sorted().toList();
        return new TemplateView(t.name(), project, t.host(), t.source(), t.spec().vcpus(), t.spec().memoryBytes(), Sizes.format(t.spec().memoryBytes()),
                size, Sizes.format(size), users);
    }
}
