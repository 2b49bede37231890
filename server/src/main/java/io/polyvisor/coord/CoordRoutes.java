package io.polyvisor.coord;

import io.polyvisor.coordination.CoordNames;
import io.polyvisor.coordination.KeyPath;
import io.polyvisor.coordination.LeaseRules;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Caller;
import io.polyvisor.coordination.CoordGroup;
import io.polyvisor.coordination.Membership;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Refusal;
import io.polyvisor.model.Vm;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.polyvisor.api.WrittenSchema;

import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.integer;
import static io.polyvisor.api.WrittenSchema.object;

/**
 * The operators' routes under {@code /api/v1/coord/{group}/...} (admin token) and the guests' under {@code /v1/...}
 * (the calling VM's coordination token, its own group only). Both run the same operations of {@link Coordination}.
 * Guest routes are open to the API's admin check and authenticate the VM themselves ({@link VmTokens}).
 */
final class CoordRoutes {
    static final Payload.Written PUT_BODY = new Payload.Written("CoordPut", object(List.of("value"), "value", STRING), false);
    static final Payload.Written ACQUIRE_BODY = new Payload.Written("CoordAcquire", object(List.of("holder"),
            "holder", STRING, "ttl_s", integer(1, 600)), false);
    static final Payload.Written GUEST_ACQUIRE_BODY = new Payload.Written("CoordGuestAcquire", object(List.of(),
            "ttl_s", integer(1, 600)), true);
    static final Payload.Written METRIC_BODY = new Payload.Written("CoordMetric", object(List.of("name", "value"),
            "name", STRING, "value", WrittenSchema.map("type", "number")), false);
    static final Payload.Written MESSAGE_BODY = new Payload.Written("CoordMessage", object(List.of("body"), "body", STRING), false);
    private static final Payload MESSAGE = Payload.of(CoordViews.MessageView.class);
    private static final Payload MESSAGES = Payload.of(CoordViews.MessagesView.class);
    private static final String[] SUBSCRIBE = {"after:only messages with a larger seq (default 0)",
            "wait:seconds to wait for the first message after it (0 to 60)", "limit:at most this many (1-100, default 100)"};
    static final int DEFAULT_TTL_S = 15;
    private static final Payload PEERS = Payload.of(CoordViews.PeersView.class);
    private static final String[] PEERS_WATCH = {"wait:seconds to wait for a change after index (0 to 60)",
            "index:a membership version from an earlier answer; with wait, return once the membership differs from it"};
    private static final Payload KV = Payload.of(CoordViews.KvView.class);
    private static final Payload KV_LIST = Payload.of(CoordViews.KvListView.class);
    private static final Payload LEASE = Payload.of(CoordViews.LeaseView.class);
    private static final Payload LEASES = Payload.listOf(CoordViews.LeaseView.class);
    private static final String[] WATCH = {"wait:seconds to wait for a change after index (0 to 60)",
            "index:a revision; with wait, return once the key changed after it"};
    private static final String[] LIST = {"prefix:only keys starting with this", WATCH[0],
            "index:a revision; with wait, return once a key under the prefix changed after it"};
    private static final String CAS = "cas:compare-and-set: the key's current revision, 0 to create only";
    private static final String PROJECT = "project:the group's project (default: default); a group is the VMs of one project labelled group=NAME";

    private final Coordination coord;
    private final VmTokens tokens;
    private final Function<String, Vm> findVm;
    private final ObjectMapper mapper;
    private final Peers peers;
    private final MetricSink metrics;

    private final Messages messages;
    private final Function<Vm, String> userData;

    /** @param userData a VM's user data, or null ({@link UserDataRoutes}) */
    CoordRoutes(Coordination coord, VmTokens tokens, Function<String, Vm> findVm, ObjectMapper mapper, Peers peers, MetricSink metrics,
                Messages messages, Function<Vm, String> userData) {
        this.messages = messages;
        this.userData = userData;
        this.peers = peers;
        this.metrics = metrics;
        this.coord = coord;
        this.tokens = tokens;
        this.findVm = findVm;
        this.mapper = mapper;
    }

    List<Route> routes() {
        List<Route> r = new ArrayList<>();
        String op = "/api/v1/coord/{group}";
        r.add(Route.post("/api/v1/vms/{ref}/coord-token", "Mint the VM's coordination token (shown this once; replaces any earlier one)",
                201, null, Payload.of(CoordViews.CoordTokenView.class), ctx -> {
                    Vm vm = findVm.apply(ctx.pathParam("ref"));
                    ctx.status(201).json(new CoordViews.CoordTokenView(vm.name(), tokens.mint(vm)));
                }));
        r.add(read(Route.get(op + "/kv", "List a group's keys, or watch them (wait, index)", KV_LIST,
                ctx -> list(ctx, operatorGroup(ctx)), withProject(LIST))));
        r.add(read(Route.get(op + "/kv/<key>", "Read a key, or watch it (wait, index)", KV,
                ctx -> read(ctx, operatorGroup(ctx)), withProject(WATCH))));
        r.add(new Route(io.javalin.http.HandlerType.PUT, op + "/kv/<key>", "Write a key (cas: compare-and-set; If-Match-Token: LEASE:TOKEN fences it)",
                200, PUT_BODY, KV, ctx -> put(ctx, operatorGroup(ctx)), false, Permission.OPERATE, PROJECT, CAS));
        r.add(new Route(io.javalin.http.HandlerType.DELETE, op + "/kv/<key>", "Delete a key (cas, If-Match-Token as for a write)",
                200, null, KV, ctx -> delete(ctx, operatorGroup(ctx)), false, Permission.OPERATE, PROJECT, CAS));
        r.add(read(Route.get(op + "/peers", "A group's members, or watch them (wait, index)", PEERS,
                ctx -> peers(ctx, operatorGroup(ctx), null), withProject(PEERS_WATCH))));
        r.add(new Route(io.javalin.http.HandlerType.POST, op + "/messages/{topic}", "Publish a message to a group's topic (as an operator)", 201,
                MESSAGE_BODY, MESSAGE, ctx -> publish(ctx, operatorGroup(ctx), null), false, Permission.OPERATE, PROJECT));
        r.add(read(Route.get(op + "/messages/{topic}", "Read a group's topic after a seq, or wait for its next message", MESSAGES,
                ctx -> subscribe(ctx, operatorGroup(ctx)), withProject(SUBSCRIBE))));
        r.add(read(Route.get("/api/v1/coord/leases", "Every group's leases (of the caller's projects, or of one)", LEASES, ctx -> {
            String project = ctx.queryParam("project");
            ctx.json(coord.leases(null).stream()
                    .filter(l -> Caller.of(ctx).sees(l.project()) && (project == null || project.equals(l.project()))).toList());
        }, "project:only this project's groups")));
        r.add(read(Route.get(op + "/leases", "A group's leases", LEASES, ctx -> ctx.json(coord.leases(operatorGroup(ctx))), PROJECT)));
        r.add(read(Route.get(op + "/leases/{name}", "A lease: holder, fencing token, expiry", LEASE,
                ctx -> ctx.json(coord.lease(operatorGroup(ctx), CoordNames.leaseName(ctx.pathParam("name")))), PROJECT)));
        r.add(new Route(io.javalin.http.HandlerType.POST, op + "/leases/{name}", "Acquire or renew a lease for a member VM (holder)", 200,
                ACQUIRE_BODY, LEASE, ctx -> {
                    CoordGroup group = operatorGroup(ctx);
                    Body b = Body.parse(mapper, Body.text(ctx), ACQUIRE_BODY.fields());
                    Vm holder = findVm.apply(b.requiredString("holder"));
                    ctx.json(coord.acquire(group, CoordNames.leaseName(ctx.pathParam("name")), holder, ttl(b)));
                }, false, Permission.OPERATE, PROJECT));
        r.add(new Route(io.javalin.http.HandlerType.DELETE, op + "/leases/{name}", "Release a lease, whoever holds it", 200, null, LEASE,
                ctx -> ctx.json(coord.release(operatorGroup(ctx), CoordNames.leaseName(ctx.pathParam("name")), null)),
                false, Permission.OPERATE, PROJECT));

        // the guest API: the caller's own group, from its token
        r.add(guest(Route.get("/v1/self", "The calling VM: name, project, group, host, state, labels, private-network addresses, user data",
                Payload.of(CoordViews.SelfView.class), ctx -> {
            Vm vm = tokens.callerAsAnswer(ctx);
            ctx.json(new CoordViews.SelfView(vm.id().toString(), vm.name(), vm.project(), VmTokens.group(vm).name(), vm.host(),
                    vm.state().label(), vm.labels(), io.polyvisor.coordination.Membership.addresses(vm), userData.apply(vm)));
        })));
        r.add(guest(Route.get("/v1/kv", "List the caller's group's keys, or watch them", KV_LIST, ctx -> list(ctx, callerGroup(ctx)), LIST)));
        r.add(guest(Route.get("/v1/kv/<key>", "Read a key of the caller's group, or watch it", KV, ctx -> read(ctx, callerGroup(ctx)), WATCH)));
        r.add(guest(new Route(io.javalin.http.HandlerType.PUT, "/v1/kv/<key>", "Write a key of the caller's group", 200, PUT_BODY, KV,
                ctx -> put(ctx, callerGroup(ctx)), false, CAS)));
        r.add(guest(new Route(io.javalin.http.HandlerType.DELETE, "/v1/kv/<key>", "Delete a key of the caller's group", 200, null, KV,
                ctx -> delete(ctx, callerGroup(ctx)), false, CAS)));
        r.add(guest(Route.get("/v1/peers", "The caller's group's members, or watch them (wait, index)", PEERS,
                ctx -> {
                    Vm vm = tokens.caller(ctx);
                    peers(ctx, VmTokens.group(vm), Membership.addresses(vm).stream().map(Membership.NetAddress::network).collect(Collectors.toSet()));
                }, PEERS_WATCH)));
        r.add(guest(Route.post("/v1/metrics", "Push a sample of the metric the caller's elastic group tracks (metric:NAME=V)", 204,
                METRIC_BODY, null, ctx -> {
                    Vm vm = tokens.caller(ctx);
                    Body b = Body.parse(mapper, Body.text(ctx), METRIC_BODY.fields());
                    InvalidInput.require(b.has("value"), "value is required");
                    double value = b.number("value");
                    InvalidInput.require(Double.isFinite(value), "value must be a finite number");
                    metrics.push(VmTokens.group(vm).name(), vm.name(), Membership.metricName(b.requiredString("name")), value);
                    ctx.status(204);
                })));
        r.add(guest(Route.post("/v1/messages/{topic}", "Publish a message to a topic of the caller's group", 201, MESSAGE_BODY, MESSAGE, ctx -> {
            Vm vm = tokens.caller(ctx);
            publish(ctx, VmTokens.group(vm), vm.name());
        })));
        r.add(guest(Route.get("/v1/messages/{topic}", "Read a topic of the caller's group after a seq, or wait for its next message",
                MESSAGES, ctx -> subscribe(ctx, callerGroup(ctx)), SUBSCRIBE)));
        r.add(guest(Route.get("/v1/leases", "The caller's group's leases", LEASES, ctx -> ctx.json(coord.leases(callerGroup(ctx))))));
        r.add(guest(Route.post("/v1/leases/{name}", "Acquire or renew a lease as the calling VM", 200, GUEST_ACQUIRE_BODY, LEASE, ctx -> {
            Vm vm = tokens.caller(ctx);
            Body b = Body.parse(mapper, Body.text(ctx), GUEST_ACQUIRE_BODY.fields());
            ctx.json(coord.acquire(VmTokens.group(vm), CoordNames.leaseName(ctx.pathParam("name")), vm, ttl(b)));
        })));
        r.add(guest(Route.delete("/v1/leases/{name}", "Release a lease the calling VM holds", 200, LEASE, ctx -> {
            Vm vm = tokens.caller(ctx);
            ctx.json(coord.release(VmTokens.group(vm), CoordNames.leaseName(ctx.pathParam("name")), vm));
        })));
        return r;
    }

    /** Open to the admin check; the handler authenticates the VM, before anything else. */
    private static Route guest(Route r) {
        return r.unauthenticated();
    }

    private CoordGroup callerGroup(Context ctx) {
        return VmTokens.group(tokens.caller(ctx));
    }

    /**
     * The group an operator's route names: path {@code group} in query {@code project} (default {@code default}),
     * which the caller must see; another project's group is not found, as if it did not exist.
     */
    private static CoordGroup operatorGroup(Context ctx) {
        String project = ctx.queryParam("project");
        var g = new CoordGroup(project == null ? Vm.DEFAULT_PROJECT : project, CoordNames.group(ctx.pathParam("group")));
        Caller.requireSees(ctx, g.project(), "group " + g);
        return g;
    }

    /** A read route any role may call: {@link #operatorGroup} limits it to the caller's projects. */
    private static Route read(Route r) {
        return r.requires(Permission.READ);
    }

    private static String[] withProject(String[] query) {
        String[] out = new String[query.length + 1];
        out[0] = PROJECT;
        System.arraycopy(query, 0, out, 1, query.length);
        return out;
    }

    private void publish(Context ctx, CoordGroup group, String sender) {
        String topic = CoordNames.topic(ctx.pathParam("topic"));
        Body b = Body.parse(mapper, Body.text(ctx), MESSAGE_BODY.fields());
        ctx.status(201).json(messages.publish(group, topic, sender, CoordNames.messageBody(b.requiredString("body"))));
    }

    private void subscribe(Context ctx, CoordGroup group) throws InterruptedException {
        String topic = CoordNames.topic(ctx.pathParam("topic"));
        Long after = nonNegative(ctx, "after");
        Integer wait = wait(ctx);
        Long limit = nonNegative(ctx, "limit");
        InvalidInput.require(limit == null || (limit >= 1 && limit <= Messages.MAX_BATCH), "limit must be between 1 and 100, got " + limit);
        ctx.json(messages.subscribe(group, topic, after == null ? 0 : after, wait == null ? 0 : wait, limit == null ? Messages.MAX_BATCH : limit.intValue()));
    }

    /** {@code networks}: the calling guest's networks, whose addresses alone it sees of its peers; null for an operator. */
    private void peers(Context ctx, CoordGroup group, Set<String> networks) throws InterruptedException {
        Integer wait = wait(ctx);
        String index = ctx.queryParam("index");
        InvalidInput.require(index != null || wait == null, "index is required with wait");
        ctx.json(peers.watch(group, index == null ? null : Membership.requireVersion(index), wait == null ? 0 : wait, networks));
    }

    private void read(Context ctx, CoordGroup group) throws InterruptedException {
        KeyPath key = key(ctx);
        Integer wait = wait(ctx);
        if (wait == null) ctx.json(coord.get(group, key));
        else ctx.json(coord.watch(group, key, index(ctx, true), wait));
    }

    private void list(Context ctx, CoordGroup group) throws InterruptedException {
        String prefix = KeyPath.prefix(ctx.queryParam("prefix"));
        Integer wait = wait(ctx);
        ctx.json(coord.list(group, prefix, wait == null ? null : index(ctx, true), wait == null ? 0 : wait));
    }

    private void put(Context ctx, CoordGroup group) {
        KeyPath key = key(ctx);
        Body b = Body.parse(mapper, Body.text(ctx), PUT_BODY.fields());
        String value = CoordNames.value(b.requiredString("value"));
        write(ctx, group, key, value);
    }

    private void delete(Context ctx, CoordGroup group) {
        write(ctx, group, key(ctx), null);
    }

    private void write(Context ctx, CoordGroup group, KeyPath key, String value) {
        Long cas = nonNegative(ctx, "cas");
        var fence = LeaseRules.parseFence(ctx.header("If-Match-Token"));
        try {
            ctx.json(coord.write(group, key, value, cas, fence));
        } catch (Coordination.CasMismatch m) {
            ctx.header("X-Polyvisor-Revision", Long.toString(m.current));
            throw Refusal.conflict(m.getMessage());
        }
    }

    /**
     * The key as the client sent it: taken from the raw request path, not the routed one, because the web server
     * resolves '.' and '..' segments before routing, and a key holding them must be refused, not rewritten.
     */
    static KeyPath key(Context ctx) {
        String raw = ctx.req().getRequestURI();
        // the route's own prefix, as the client must have written it: anything else ('.' segments, encoded letters)
        // could make the raw path and the routed one disagree on where the key starts
        String prefix = raw.startsWith("/v1/") ? "/v1/kv/" : "/api/v1/coord/" + ctx.pathParam("group") + "/kv/";
        if (!raw.startsWith(prefix)) {
            throw new InvalidInput("the path before the key must be written plainly as " + prefix + ", got '" + KeyPath.shown(raw) + "'");
        }
        String encoded = raw.substring(prefix.length());
        String text;
        try {
            text = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("key is not valid percent-encoding");
        }
        return new KeyPath(text);
    }

    private static int ttl(Body b) {
        Integer t = b.integer("ttl_s");
        return CoordNames.ttl(t == null ? DEFAULT_TTL_S : t);
    }

    private static Integer wait(Context ctx) {
        Long w = nonNegative(ctx, "wait");
        if (w == null) return null;
        InvalidInput.require(w <= Coordination.MAX_WAIT_S, "wait must be between 0 and " + Coordination.MAX_WAIT_S + " seconds, got " + w);
        return w.intValue();
    }

    private static long index(Context ctx, boolean withWait) {
        Long i = nonNegative(ctx, "index");
        InvalidInput.require(i != null || !withWait, "index is required with wait");
        return i;
    }

    private static Long nonNegative(Context ctx, String param) {
        String s = ctx.queryParam(param);
        if (s == null) return null;
        try {
            long v = Long.parseLong(s);
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new InvalidInput(param + " must be a whole number of 0 or more, got '" + KeyPath.shown(s) + "'");
    }

}
