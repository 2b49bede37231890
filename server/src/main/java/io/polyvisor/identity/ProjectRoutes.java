package io.polyvisor.identity;

import io.polyvisor.access.Project;
import io.polyvisor.access.Quota;
import io.polyvisor.access.User;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.events.Journal;
import io.polyvisor.model.Names;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Sizes;
import io.polyvisor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;
import static io.polyvisor.api.WrittenSchema.orNull;

/** {@code /api/v1/projects}: projects and their quotas (admins). */
final class ProjectRoutes {
    private static final Set<String> QUOTA_FIELDS = Set.of("vcpus", "memory_bytes", "vms", "disk_bytes");
    static final Map<String, Object> QUOTA = object(List.of(),
            "vcpus", orNull(integer(0, Integer.MAX_VALUE)), "memory_bytes", orNull(integer(0, Long.MAX_VALUE)),
            "vms", orNull(integer(0, Integer.MAX_VALUE)), "disk_bytes", orNull(integer(0, Long.MAX_VALUE)));
    static final Payload.Written CREATE = new Payload.Written("CreateProject", object(List.of("name"),
            "name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"),
            "quota", map("description", "limits; a field absent or null is no limit", "allOf", List.of(QUOTA))), false);
    static final Payload.Written UPDATE = new Payload.Written("UpdateProject", object(List.of("quota"),
            "quota", map("description", "limits to change: a field absent is kept, null lifts the limit", "allOf", List.of(QUOTA))), false);

    private final Store store;
    private final Journal journal;
    private final ObjectMapper mapper;

    ProjectRoutes(Store store, Journal journal, ObjectMapper mapper) {
        this.store = store;
        this.journal = journal;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String one = "/api/v1/projects/{name}";
        Payload view = Payload.of(IdentityViews.ProjectView.class);
        return List.of(
                Route.post("/api/v1/projects", "Create a project, with a quota", 201, CREATE, view, this::create),
                Route.get("/api/v1/projects", "List projects with their quotas and usage", Payload.listOf(IdentityViews.ProjectView.class),
                        ctx -> ctx.json(store.projects().stream().map(this::view).toList())),
                Route.get(one, "Show a project: quota and usage", view, ctx -> ctx.json(view(find(store, ctx.pathParam("name"))))),
                Route.put(one, "Change a project's quota (a lower limit never removes VMs; it refuses new ones)", UPDATE, view, this::update),
                Route.delete(one, "Delete a project that holds no VM and is no user's", 204, null, this::delete));
    }

    private void create(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), CREATE.fields());
        Project p = new Project(Names.requireName("project", b.requiredString("name")), quota(Quota.NONE, b.object("quota", QUOTA_FIELDS)));
        store.inTransaction(tx -> {
            tx.insertProject(p);
            journal.record(tx, IdentityEvent.PROJECT_CREATED, p.name(), "project " + p.name() + " created, quota " + describe(p.quota()));
            return null;
        });
        journal.signal();
        ctx.status(201).json(view(p));
    }

    private void update(Context ctx) {
        Body b = Body.parse(mapper, Body.text(ctx), UPDATE.fields());
        Body q = b.object("quota", QUOTA_FIELDS);
        if (q == null) throw new io.polyvisor.model.InvalidInput("quota is required");
        Project next = store.inTransaction(tx -> {
            Project p = find(tx, ctx.pathParam("name"));
            Project changed = new Project(p.name(), quota(p.quota(), q));
            tx.updateProject(changed);
            journal.record(tx, IdentityEvent.PROJECT_UPDATED, p.name(), "project " + p.name() + " quota " + describe(changed.quota()));
            return changed;
        });
        journal.signal();
        ctx.json(view(next));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.equals(Project.DEFAULT)) {
            throw Refusal.conflict("project default cannot be deleted: VMs, networks, volumes, groups and security groups created without a project go there");
        }
        store.inTransaction(tx -> {
            find(tx, name); // locks the row: no create slips in while this looks
            long vms = tx.projectUsage(name).vms();
            if (vms > 0) throw Refusal.conflict("project " + name + " holds " + vms + " VM" + (vms == 1 ? "" : "s") + "; delete them first");
            for (var kind : io.polyvisor.access.Owned.values()) { // a later project of the same name must not inherit them
                var held = tx.owners(kind).entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).sorted().toList();
                if (!held.isEmpty()) {
                    throw Refusal.conflict("project " + name + " holds " + kind.noun() + (held.size() == 1 ? " " : "s ")
                            + String.join(", ", held) + "; delete " + (held.size() == 1 ? "it" : "them") + " first");
                }
            }
            List<String> users = tx.users().stream().filter(u -> u.projects().contains(name)).map(User::name).toList();
            if (!users.isEmpty()) {
                throw Refusal.conflict("project " + name + " is a project of user" + (users.size() == 1 ? " " : "s ")
                        + String.join(", ", users) + "; revoke them or give them other projects first");
            }
            tx.deleteProject(name);
            journal.record(tx, IdentityEvent.PROJECT_DELETED, name, "project " + name + " deleted");
            return null;
        });
        journal.signal();
        ctx.status(204);
    }

    /** {@code base} with the limits {@code q} names: a number sets one, null lifts it, absent keeps it. */
    private static Quota quota(Quota base, Body q) {
        if (q == null) return base;
        Integer vcpus = q.present("vcpus") ? q.integer("vcpus") : base.vcpus();
        Long memory = q.present("memory_bytes") ? q.longInteger("memory_bytes") : base.memoryBytes();
        Integer vms = q.present("vms") ? q.integer("vms") : base.vms();
        Long disk = q.present("disk_bytes") ? q.longInteger("disk_bytes") : base.diskBytes();
        return new Quota(vcpus, memory, vms, disk);
    }

    static String describe(Quota q) {
        if (q.equals(Quota.NONE)) return "none";
        StringBuilder s = new StringBuilder();
        if (q.vcpus() != null) s.append("vcpus=").append(q.vcpus());
        if (q.memoryBytes() != null) s.append(s.isEmpty() ? "" : ",").append("memory=").append(Sizes.format(q.memoryBytes()).replace(" ", ""));
        if (q.vms() != null) s.append(s.isEmpty() ? "" : ",").append("vms=").append(q.vms());
        if (q.diskBytes() != null) s.append(s.isEmpty() ? "" : ",").append("disk=").append(Sizes.format(q.diskBytes()).replace(" ", ""));
        return s.toString();
    }

    private IdentityViews.ProjectView view(Project p) {
        return IdentityViews.project(p, store.projectUsage(p.name()));
    }

    private static Project find(Store s, String name) {
        return s.project(name).orElseThrow(() -> Refusal.notFound("project " + name + " not found"));
    }
}
