package io.polyvisor.networks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Body;
import io.polyvisor.api.Caller;
import io.polyvisor.api.Owners;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.network.SecurityGroup;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * /api/v1/secgroups: create, list, show, delete, rules replaced or added and removed one at a time, members join and leave; each within the caller's
 * projects (a group of another project is not found).
 */
final class SecgroupRoutes {
    private static final Map<String, Object> RULE = object(List.of("allow"),
            "direction", map("type", "string", "enum", List.of("ingress", "egress"), "default", "ingress"),
            "allow", map("type", "string", "description", "tcp:PORT[-PORT], udp:PORT[-PORT], icmp or any"),
            "from", map("type", "string", "description", "ingress: where the traffic may come from, a CIDR such as 10.0.0.0/24 or secgroup:NAME"),
            "to", map("type", "string", "description", "egress: where the traffic may go, a CIDR such as 10.0.0.0/24 or secgroup:NAME"));
    private static final Map<String, Object> RULES = map("type", "array", "maxItems", SecurityGroup.MAX_RULES, "items", RULE);
    static final Payload.Written CREATE = new Payload.Written("CreateSecgroup", object(List.of("name"),
            "name", map("type", "string", "pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"), "rules", RULES,
            "project", map("type", "string", "description", "the project that owns it (default: default); only its VMs join it")), false);
    static final Payload.Written ONE_RULE = new Payload.Written("SecgroupRuleEdit", RULE, false);
    static final Payload.Written REPLACE_RULES = new Payload.Written("SecgroupRules", object(List.of("rules"), "rules", RULES), false);
    static final Payload.Written MEMBER = new Payload.Written("SecgroupMember", object(List.of("vm"), "vm", STRING), false);
    private static final Payload GROUP = Payload.of(SecgroupRequests.SecgroupView.class);

    private final SecgroupRequests requests;
    private final ObjectMapper mapper;

    SecgroupRoutes(SecgroupRequests requests, ObjectMapper mapper) {
        this.requests = requests;
        this.mapper = mapper;
    }

    List<Route> routes() {
        String one = "/api/v1/secgroups/{name}";
        return List.of(
                Route.get("/api/v1/secgroups", "List security groups (of the caller's projects)", Payload.listOf(SecgroupRequests.SecgroupView.class),
                        ctx -> ctx.json(requests.list(Caller.of(ctx)))).requires(Permission.READ),
                Route.post("/api/v1/secgroups", "Create a security group in a project (stateful ingress and egress rules; members accept each other)",
                        201, CREATE, GROUP, ctx -> {
                            Body b = Body.parse(mapper, Body.text(ctx), CREATE.fields());
                            var g = new SecurityGroup(b.requiredString("name"), rules(b));
                            String project = Owners.forCreate(ctx, b.string("project"));
                            ctx.status(201).json(requests.show(Caller.of(ctx), requests.create(Caller.of(ctx), g, project)));
                        }).requires(Permission.OPERATE),
                Route.put(one + "/rules", "Replace a security group's rules (its members' hosts follow within a sync round)", REPLACE_RULES, GROUP,
                        ctx -> ctx.json(requests.show(Caller.of(ctx), requests.replaceRules(Caller.of(ctx),
                                replacement(ctx.pathParam("name"), Body.text(ctx)))))).requires(Permission.OPERATE),
                Route.post(one + "/rules", "Add one rule to a security group (409 if it has it already)", 200, ONE_RULE, GROUP,
                        ctx -> ctx.json(requests.show(Caller.of(ctx), requests.editRule(Caller.of(ctx), ctx.pathParam("name"),
                                oneRule(Body.text(ctx)), true)))).requires(Permission.OPERATE),
                Route.post(one + "/rules/remove", "Remove one rule, given as it was added, from a security group (404 if it has no such rule)",
                        200, ONE_RULE, GROUP, ctx -> ctx.json(requests.show(Caller.of(ctx), requests.editRule(Caller.of(ctx),
                                ctx.pathParam("name"), oneRule(Body.text(ctx)), false)))).requires(Permission.OPERATE),
                Route.get(one, "Show a security group and its members", GROUP,
                        ctx -> ctx.json(requests.show(Caller.of(ctx), requests.find(Caller.of(ctx), ctx.pathParam("name"))))).requires(Permission.READ),
                Route.delete(one, "Delete a security group without members", 200, GROUP,
                        ctx -> ctx.json(requests.delete(Caller.of(ctx), ctx.pathParam("name")))).requires(Permission.OPERATE),
                Route.post(one + "/members", "Make a VM of the group's project a member (its private addresses are guarded on its host)", 200,
                        MEMBER, GROUP, ctx -> ctx.json(requests.show(Caller.of(ctx),
                                requests.attach(Caller.of(ctx), ctx.pathParam("name"), member(Body.text(ctx)), true)))).requires(Permission.OPERATE),
                Route.delete(one + "/members/{vm}", "Take a VM out of the group", 200, GROUP,
                        ctx -> ctx.json(requests.show(Caller.of(ctx), requests.attach(Caller.of(ctx), ctx.pathParam("name"), ctx.pathParam("vm"), false))))
                        .requires(Permission.OPERATE));
    }

    private String member(String text) {
        return Body.parse(mapper, text, MEMBER.fields()).requiredString("vm");
    }

    private SecurityGroup replacement(String name, String text) {
        Body b = Body.parse(mapper, text, REPLACE_RULES.fields());
        InvalidInput.require(b.present("rules"), "rules is required (an empty list removes every rule)");
        return new SecurityGroup(name, rules(b));
    }

    private SecurityGroup.Rule oneRule(String text) {
        Body r = Body.parse(mapper, text, ONE_RULE.fields());
        return SecurityGroup.Rule.parse(r.string("direction"), r.requiredString("allow"), r.string("from"), r.string("to"));
    }

    private static List<SecurityGroup.Rule> rules(Body b) {
        var rules = new java.util.ArrayList<SecurityGroup.Rule>();
        for (Body r : b.objectList("rules", Set.of("direction", "allow", "from", "to"), SecurityGroup.MAX_RULES)) {
            rules.add(SecurityGroup.Rule.parse(r.string("direction"), r.requiredString("allow"), r.string("from"), r.string("to")));
        }
        return rules;
    }
}
