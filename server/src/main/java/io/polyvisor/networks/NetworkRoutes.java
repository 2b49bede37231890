package io.polyvisor.networks;

import io.polyvisor.access.Owned;
import io.polyvisor.access.Permission;
import io.polyvisor.api.Owners;
import io.polyvisor.model.Vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.network.Cidr;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;

import java.util.List;

import static io.polyvisor.api.WrittenSchema.BOOLEAN;
import static io.polyvisor.api.WrittenSchema.STRING;
import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** /api/v1/networks: create, list, show, delete. */
final class NetworkRoutes {
    static final Payload.Written CREATE = new Payload.Written("CreateNetwork", object(List.of("name", "cidr"),
            "name", map("type", "string", "pattern", "^[a-z][a-z0-9-]{0,14}$"),
            "cidr", map("type", "string", "description", "an IPv4 network, /8 to /29, such as 10.0.0.0/24"),
            "gateway", map("type", "string", "description", "default: the network's first address"),
            "dhcp", BOOLEAN,
            "project", map("type", "string", "description", "the project that owns it (default: default)")), false);
    private static final Payload NETWORK = Payload.of(NetworkView.class);

    private final NetworkRequests requests;
    private final ObjectMapper mapper;
    private final Owners owners;

    NetworkRoutes(NetworkRequests requests, ObjectMapper mapper, Owners owners) {
        this.requests = requests;
        this.mapper = mapper;
        this.owners = owners;
    }

    List<Route> routes() {
        String one = "/api/v1/networks/{name}";
        return List.of(
                Route.get("/api/v1/networks", "List private networks (of the caller's projects)", Payload.listOf(NetworkView.class), ctx -> {
                    var projects = owners.all(Owned.NETWORK);
                    ctx.json(owners.visible(ctx, Owned.NETWORK, requests.list(), Network::name).stream()
                            .map(n -> NetworkView.of(n, projects.getOrDefault(n.name(), Vm.DEFAULT_PROJECT), null)).toList());
                }).requires(Permission.READ),
                Route.post("/api/v1/networks", "Create a private network (one VXLAN segment across hosts) in a project", 201, CREATE, NETWORK,
                        ctx -> ctx.status(201).json(requests.show(requests.create(parse(ctx, Body.text(ctx)))))).requires(Permission.OPERATE),
                Route.get(one, "Show a network and the addresses its NICs hold", NETWORK, ctx -> {
                    owners.requireSees(ctx, Owned.NETWORK, ctx.pathParam("name"));
                    ctx.json(requests.show(requests.find(ctx.pathParam("name"))));
                }).requires(Permission.READ),
                Route.delete(one, "Delete a network no NIC is on", 200, NETWORK, ctx -> {
                    String name = ctx.pathParam("name");
                    owners.requireSees(ctx, Owned.NETWORK, name);
                    String project = owners.of(Owned.NETWORK, name);
                    ctx.json(NetworkView.of(requests.delete(name), project, null));
                }).requires(Permission.OPERATE));
    }

    private NetworkRequests.Create parse(io.javalin.http.Context ctx, String text) {
        Body b = Body.parse(mapper, text, CREATE.fields());
        String name = Network.requireName(b.requiredString("name"));
        Cidr cidr = Cidr.parse(b.requiredString("cidr"));
        Ipv4 gateway = b.has("gateway") ? Ipv4.parse("gateway", b.string("gateway")) : null;
        return new NetworkRequests.Create(name, cidr, gateway, Boolean.TRUE.equals(b.bool("dhcp")), Owners.forCreate(ctx, b.string("project")));
    }
}
