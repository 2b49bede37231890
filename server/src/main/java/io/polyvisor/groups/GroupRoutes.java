package io.polyvisor.groups;

import io.javalin.http.Context;
import io.polyvisor.access.Owned;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Owners;
import io.polyvisor.autoscale.Group;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.autoscale.Target;
import io.polyvisor.model.InvalidInput;

import java.util.List;

/** /api/v1/groups: create, list, show, update, scale, delete, and members' metric samples. */
final class GroupRoutes {
    private static final Payload GROUP = Payload.of(GroupView.class);

    private final GroupRequests requests;
    private final ObjectMapper mapper;
    private final Owners owners;

    GroupRoutes(GroupRequests requests, ObjectMapper mapper, Owners owners) {
        this.requests = requests;
        this.mapper = mapper;
        this.owners = owners;
    }

    /** The group of the path, if the caller sees its project; else not found. */
    private Group visible(Context ctx) {
        Group g = requests.find(ctx.pathParam("name"));
        owners.requireSees(ctx, Owned.GROUP, g.name());
        return g;
    }

    List<Route> routes() {
        String one = "/api/v1/groups/{name}";
        return List.of(
                Route.get("/api/v1/groups", "List elastic groups (of the caller's projects)", Payload.listOf(GroupView.Summary.class),
                        ctx -> ctx.json(requests.list(all -> owners.visible(ctx, Owned.GROUP, all, Group::name)))).requires(Permission.READ),
                Route.post("/api/v1/groups", "Create an elastic group behind its own HAProxy endpoint", 201, CreateGroupBody.SCHEMA, GROUP,
                        ctx -> {
                            var draft = CreateGroupBody.parse(mapper, Body.text(ctx));
                            String project = Owners.forCreate(ctx, draft.project());
                            ctx.status(201).json(requests.show(requests.create(draft.group(), draft.listenPort(), project)));
                        }).requires(Permission.OPERATE),
                Route.get(one, "Show a group: desired, members, endpoint and its last decisions with reasons", GROUP,
                        ctx -> ctx.json(requests.show(visible(ctx)))).requires(Permission.READ),
                Route.put(one, "Change a group's min, max, target or warm pool size", CreateGroupBody.UPDATE, GROUP, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.UPDATE.fields());
                    visible(ctx);
                    String t = b.string("target");
                    boolean clear = "none".equals(t);
                    InvalidInput.require(b.has("min") || b.has("max") || t != null || b.has("warm"), "give min, max, target or warm to change");
                    ctx.json(requests.show(requests.update(ctx.pathParam("name"), b.integer("min"), b.integer("max"),
                            t == null || clear ? null : Target.parse(t), clear, b.integer("warm"))));
                }).requires(Permission.OPERATE),
                Route.post(one + "/scale", "Set a group's desired member count by hand (groups without a target)", 200,
                        CreateGroupBody.SCALE, GROUP, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.SCALE.fields());
                            InvalidInput.require(b.has("desired"), "desired is required");
                            visible(ctx);
                            ctx.json(requests.show(requests.scale(ctx.pathParam("name"), b.integer("desired"))));
                        }).requires(Permission.OPERATE),
                Route.post(one + "/metrics", "Push a member's sample of the metric the group tracks (metric:NAME=V)", 204,
                        CreateGroupBody.METRIC, null, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.METRIC.fields());
                            InvalidInput.require(b.has("value"), "value is required");
                            visible(ctx);
                            requests.push(ctx.pathParam("name"), b.requiredString("member"), b.requiredString("name"), b.number("value"));
                            ctx.status(204);
                        }).requires(Permission.OPERATE),
                Route.delete(one, "Delete a group: its members drain and are deleted, then its HAProxy stops", 202, GROUP,
                        ctx -> {
                            visible(ctx);
                            ctx.status(202).json(requests.show(requests.delete(ctx.pathParam("name"))));
                        }).requires(Permission.OPERATE));
    }
}
