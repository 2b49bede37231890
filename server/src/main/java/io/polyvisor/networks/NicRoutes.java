package io.polyvisor.networks;

import io.polyvisor.access.Permission;
import io.polyvisor.api.Caller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.api.Body;
import io.polyvisor.api.Payload;
import io.polyvisor.api.Route;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.MacAddress;
import io.polyvisor.network.Network;

import java.util.List;

import static io.polyvisor.api.WrittenSchema.map;
import static io.polyvisor.api.WrittenSchema.object;

/** /api/v1/vms/{name}/nics: plug a NIC on a private network into a VM, or unplug one (hot plug on a running VM). */
final class NicRoutes {
    static final Payload.Written ATTACH = new Payload.Written("AttachNic", object(List.of("network"),
            "network", map("type", "string", "pattern", "^[a-z][a-z0-9-]{0,14}$"),
            "ip", map("type", "string", "description", "default: the network's first free address"),
            "mac", map("type", "string", "description", "default: a new 52:54:00:xx:xx:xx address")), false);
    private static final Payload NIC = Payload.of(NetworkView.NicView.class);

    private final NicRequests requests;
    private final ObjectMapper mapper;

    NicRoutes(NicRequests requests, ObjectMapper mapper) {
        this.requests = requests;
        this.mapper = mapper;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/api/v1/vms/{name}/nics", "Plug a NIC on a private network of the VM's project into a VM (live if it "
                        + "runs); it keeps its MAC and address from then on", 201, ATTACH, NIC, ctx -> {
                    requireSees(ctx);
                    ctx.status(201).json(view(requests.attach(ctx.pathParam("name"), parse(Body.text(ctx)))));
                }).requires(Permission.OPERATE),
                Route.delete("/api/v1/vms/{name}/nics/{mac}", "Unplug a VM's NIC and free its address", 200, NIC, ctx -> {
                    requireSees(ctx);
                    ctx.json(view(requests.detach(ctx.pathParam("name"), MacAddress.require(ctx.pathParam("mac")))));
                }).requires(Permission.OPERATE));
    }

    /** Not found unless the caller sees the VM's project. */
    private void requireSees(io.javalin.http.Context ctx) {
        String ref = ctx.pathParam("name");
        Caller.requireSees(ctx, requests.vm(ref).project(), "vm " + ref);
    }

    static NetworkView.NicView view(Nic n) {
        return new NetworkView.NicView(n.network(), n.mac(), n.ip());
    }

    private Nic parse(String text) {
        Body b = Body.parse(mapper, text, ATTACH.fields());
        String network = b.requiredString("network");
        InvalidInput.require(!network.equals(Network.USER), "only NICs on private networks can be attached or detached");
        Network.requireName(network);
        String ip = b.string("ip"), mac = b.string("mac");
        if (ip != null) Ipv4.parse("ip", ip);
        if (mac != null) MacAddress.require(mac);
        return new Nic(network, mac, ip);
    }
}
