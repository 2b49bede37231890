package io.polyvisor.groups;

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

    GroupRoutes(GroupRequests requests, ObjectMapper mapper) {
        this.requests = requests;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String one = "/api/v1/groups/{name}";
        return List.of(
                Route.get("/api/v1/groups", "List elastic groups", Payload.listOf(GroupView.Summary.class), ctx -> ctx.json(requests.list())),
                Route.post("/api/v1/groups", "Create an elastic group behind its own HAProxy endpoint", 201, CreateGroupBody.SCHEMA, GROUP,
                        ctx -> {
                            var draft = CreateGroupBody.parse(mapper, Body.text(ctx));
                            ctx.status(201).json(requests.show(requests.create(draft.group(), draft.listenPort())));
                        }),
                Route.get(one, "Show a group: desired, members, endpoint and its last decisions with reasons", GROUP,
                        ctx -> ctx.json(requests.show(requests.find(ctx.pathParam("name"))))),
                Route.put(one, "Change a group's min, max, target or warm pool size", CreateGroupBody.UPDATE, GROUP, ctx -> {
                    Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.UPDATE.fields());
                    String t = b.string("target");
                    boolean clear = "none".equals(t);
                    InvalidInput.require(b.has("min") || b.has("max") || t != null || b.has("warm"), "give min, max, target or warm to change");
                    ctx.json(requests.show(requests.update(ctx.pathParam("name"), b.integer("min"), b.integer("max"),
                            t == null || clear ? null : Target.parse(t), clear, b.integer("warm"))));
                }),
                Route.post(one + "/scale", "Set a group's desired member count by hand (groups without a target)", 200,
                        CreateGroupBody.SCALE, GROUP, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.SCALE.fields());
                            InvalidInput.require(b.has("desired"), "desired is required");
                            ctx.json(requests.show(requests.scale(ctx.pathParam("name"), b.integer("desired"))));
                        }),
                Route.post(one + "/metrics", "Push a member's sample of the metric the group tracks (metric:NAME=V)", 204,
                        CreateGroupBody.METRIC, null, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CreateGroupBody.METRIC.fields());
                            InvalidInput.require(b.has("value"), "value is required");
                            requests.push(ctx.pathParam("name"), b.requiredString("member"), b.requiredString("name"), b.number("value"));
                            ctx.status(204);
                        }),
                Route.delete(one, "Delete a group: its members drain and are deleted, then its HAProxy stops", 202, GROUP,
                        ctx -> ctx.status(202).json(requests.show(requests.delete(ctx.pathParam("name"))))));
    }
}
