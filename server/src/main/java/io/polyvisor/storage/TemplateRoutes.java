package io.polyvisor.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
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
    static final Payload.Written MAKE_TEMPLATE = new Payload.Written("MakeTemplate", object(List.of("name"), "name", NAME), false);
    static final Payload.Written LINKED_CLONE = new Payload.Written("LinkedClone", object(List.of("name"), "name", NAME,
            "start", map("type", "boolean", "default", true),
            "project", map("type", "string", "description", "the project the clone belongs to (default: default)")), false);

    /**
     * @param host      the host whose pool holds its image (its linked clones run there)
     * @param source    the VM it was made from
     * @param usedBy    the linked clones' volumes over its image (it cannot be deleted while any is left)
     */
    record TemplateView(String name, String host, String source, int vcpus, long memoryBytes, String memory,
                        long diskSizeBytes, String diskSize, List<String> usedBy) {}

    private final Store store;
    private final Templates templates;
    private final Images images;
    private final Function<String, Vm> findVm;
    private final ObjectMapper mapper;

    TemplateRoutes(Store store, Templates templates, Images images, Function<String, Vm> findVm, ObjectMapper mapper) {
        this.store = store;
        this.templates = templates;
        this.images = images;
        this.findVm = findVm;
        this.mapper = mapper;
    }

    List<Route> routes() {
        var view = Payload.of(TemplateView.class);
        return List.of(
                Route.post("/api/v1/vms/{ref}/template", "Make a template of a stopped VM with one disk: a copy of its disk that "
                        + "never changes again, in its host's pool", 201, MAKE_TEMPLATE, view, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), MAKE_TEMPLATE.fields());
                    ctx.status(201).json(view(templates.make(findVm.apply(ctx.pathParam("ref")), b.requiredString("name"))));
                }),
                Route.get("/api/v1/templates", "List templates", Payload.listOf(TemplateView.class),
                        ctx -> ctx.json(templates.all().stream().map(this::view).toList())),
                Route.get("/api/v1/templates/{name}", "Show a template", view, ctx -> ctx.json(view(templates.find(ctx.pathParam("name"))))),
                Route.delete("/api/v1/templates/{name}", "Delete a template (refused while a linked clone's volume uses it)", 204, null, ctx -> {
                    images.delete(templates.find(ctx.pathParam("name")).name());
                    ctx.status(204);
                }),
                Route.post("/api/v1/templates/{name}/clones", "Linked clone: a new VM on the template's host whose root volume is "
                        + "copy-on-write over the template's image", 202, LINKED_CLONE, Payload.of(StorageViews.CloneView.class), ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), LINKED_CLONE.fields());
                    var template = templates.find(ctx.pathParam("name"));
                    String project = b.has("project") ? b.string("project") : Vm.DEFAULT_PROJECT;
                    Caller.requireSees(ctx, project, "project " + project);
                    var accepted = templates.cloneLinked(template, b.requiredString("name"), !b.has("start") || b.bool("start"), project);
                    var vm = accepted.vm();
                    ctx.status(202).json(new StorageViews.CloneView(vm.name(), vm.host(),
                            vm.spec().disks().stream().map(Disk::volume).toList(), accepted.task().id().toString()));
                }));
    }

    private TemplateView view(Template t) {
        var image = store.image(t.name());
        long size = image.map(io.polyvisor.disk.Image::virtualSize).orElse(0L);
        var users = store.volumes().stream().filter(v -> t.name().equals(v.image())).map(io.polyvisor.disk.Volume::name).sorted().toList();
        return new TemplateView(t.name(), t.host(), t.source(), t.spec().vcpus(), t.spec().memoryBytes(), Sizes.format(t.spec().memoryBytes()),
                size, Sizes.format(size), users);
    }
}
